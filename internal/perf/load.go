package perf

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"huicai/internal/batch"
	"huicai/internal/card"
	"huicai/internal/store"
)

// The load test: loadClients workstations at once, loadLeaders of them
// the leader's and the others commissioners', each asking as fast as
// answers come, about one request in ten a write.
const (
	loadClients = 20
	loadLeaders = 5
	writeShare  = 0.10
)

// workstation is one simulated user of the load test.
type workstation struct {
	c *apiClient
	// reads are the paths it reads, repeated by how often it reads them.
	reads []string
	// write makes one repeatable change: the leader edits a batch's
	// contact, a commissioner saves a draft of an application.
	write func(ctx context.Context) error
}

// loadResult is what the workstations saw.
type loadResult struct {
	// times are every answer's, writes the writes' alone.
	times, writes []time.Duration
	errors        int
	first         error
	elapsed       time.Duration
}

// measureLoad signs the workstations in and runs them together for d.
func measureLoad(ctx context.Context, base string, v survey, commissioners, scale int, d time.Duration) ([]Row, error) {
	stations := make([]*workstation, loadClients)
	for i := range stations {
		var err error
		if stations[i], err = newWorkstation(ctx, base, i, v, commissioners); err != nil {
			return nil, fmt.Errorf("workstation %d: %w", i, err)
		}
	}
	res := runLoad(ctx, stations, d)
	slices.Sort(res.times)
	slices.Sort(res.writes)
	goal := fmt.Sprintf("≥ 300/s, p95 ≤ 100 ms, 0 errors (%d clients, %d%% writes)", loadClients, int(writeShare*100))
	name := fmt.Sprintf("%d clients, %.0f s", loadClients, d.Seconds())
	rows := []Row{
		{Section: "load", Metric: name + ": requests/s", Scale: scale, Goal: goal,
			Value: fmt.Sprintf("%.0f", float64(len(res.times))/res.elapsed.Seconds())},
		{Section: "load", Metric: name + ": p50 / p95", Scale: scale, Goal: goal,
			Value: ms(percentile(res.times, 0.5)) + " / " + ms(percentile(res.times, 0.95)) + " ms"},
		{Section: "load", Metric: name + ": the writes alone, p50 / p95", Scale: scale, Goal: goal,
			Value: ms(percentile(res.writes, 0.5)) + " / " + ms(percentile(res.writes, 0.95)) + " ms"},
		{Section: "load", Metric: name + ": errors", Scale: scale, Goal: goal, Value: fmt.Sprint(res.errors)},
	}
	if res.errors > 0 {
		return rows, fmt.Errorf("load test: %d errors, the first: %w", res.errors, res.first)
	}
	return rows, nil
}

// runLoad runs every workstation until d has passed.
func runLoad(ctx context.Context, stations []*workstation, d time.Duration) loadResult {
	var mu sync.Mutex
	var res loadResult
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for i, w := range stations {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 99))
			for time.Now().Before(deadline) && ctx.Err() == nil {
				took, write, err := w.step(ctx, r)
				mu.Lock()
				switch {
				case err != nil:
					res.errors++
					res.first = cmp.Or(res.first, err)
				case write:
					res.writes = append(res.writes, took)
					fallthrough
				default:
					res.times = append(res.times, took)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// step makes one request, a write about one time in ten, and says how
// long it took and whether it wrote.
func (w *workstation) step(ctx context.Context, r *rand.Rand) (time.Duration, bool, error) {
	if r.Float64() < writeShare {
		start := time.Now()
		err := w.write(ctx)
		return time.Since(start), true, err
	}
	took, err := w.c.call(ctx, http.MethodGet, w.reads[r.IntN(len(w.reads))], nil, nil)
	return took, false, err
}

// newWorkstation signs workstation i in from its own address and finds
// what it reads and writes.
func newWorkstation(ctx context.Context, base string, i int, v survey, commissioners int) (*workstation, error) {
	c := newClient(base, fmt.Sprintf("127.0.0.%d", 20+i))
	if i < loadLeaders {
		if err := c.login(ctx, LeaderUsername, Password); err != nil {
			return nil, err
		}
		return leaderStation(ctx, c, v)
	}
	k := i - loadLeaders
	if err := c.login(ctx, CommissionerUsername(k%commissioners), Password); err != nil {
		return nil, err
	}
	return commissionerStation(ctx, c, k/commissioners)
}

// repeat lists each path as many times as its weight.
func repeat(weighted map[string]int) []string {
	var out []string
	for p, n := range weighted {
		for range n {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// randomPages are n pages of list path (of total rows), picked at random.
func randomPages(path string, total, n int, r *rand.Rand) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s?page=%d&page_size=10", path, 1+r.IntN(last(total, 10)))
	}
	return out
}

// leaderStation reads the leader's pages and edits a draft batch's contact.
func leaderStation(ctx context.Context, c *apiClient, v survey) (*workstation, error) {
	ids, err := firstApplications(ctx, c, "")
	if err != nil {
		return nil, err
	}
	write, err := contactEdit(ctx, c)
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(1, 2))
	reads := repeat(map[string]int{"/api/home": 6, "/api/applications?page=1&page_size=10&state=unit_review": 4,
		"/api/audit?page=1&page_size=20": 2, "/api/card-holders?page=1&page_size=10": 1, "/api/staff?tab=active": 2, "/api/batches?kind=card": 2,
		"/api/talents?page=1&page_size=10&name=" + url.QueryEscape("王"): 2})
	reads = append(reads, randomPages("/api/applications", v.applications, 8, r)...)
	reads = append(reads, randomPages("/api/talents", v.talents, 6, r)...)
	reads = append(reads, randomPages("/api/changes", v.changes, 4, r)...)
	for _, id := range ids[:min(len(ids), 6)] {
		reads = append(reads, fmt.Sprintf("/api/applications/%d", id))
	}
	return &workstation{c: c, reads: reads, write: write}, nil
}

// contactEdit is the leader's write: saving a draft batch's contact.
func contactEdit(ctx context.Context, c *apiClient) (func(ctx context.Context) error, error) {
	var page store.Page[batch.Batch]
	if err := c.get(ctx, "/api/batches?kind=card&page_size=100", &page); err != nil {
		return nil, err
	}
	i := slices.IndexFunc(page.Items, func(b batch.Batch) bool { return b.State == batch.StateDraft })
	if i < 0 {
		return nil, errors.New("no draft batch to edit")
	}
	path := fmt.Sprintf("/api/batches/%d/contact", page.Items[i].ID)
	return func(ctx context.Context) error {
		_, err := c.call(ctx, http.MethodPut, path, contact, nil)
		return err
	}, nil
}

// commissionerStation reads a commissioner's own pages and saves a draft
// of the k-th of their applications waiting for materials.
func commissionerStation(ctx context.Context, c *apiClient, k int) (*workstation, error) {
	drafts, err := firstApplications(ctx, c, card.StateSupplement)
	if err != nil || len(drafts) <= k {
		return nil, fmt.Errorf("no application %d waiting for materials: %v", k, err)
	}
	own, err := firstApplications(ctx, c, "")
	if err != nil {
		return nil, err
	}
	var totals [2]page
	for j, p := range []string{"/api/applications?page_size=1", "/api/talents?page_size=1"} {
		if err := c.get(ctx, p, &totals[j]); err != nil {
			return nil, err
		}
	}
	r := rand.New(rand.NewPCG(3, uint64(k)))
	reads := repeat(map[string]int{"/api/home": 6, "/api/changes?page=1&page_size=10": 4, "/api/card-holders?page=1&page_size=10": 2,
		"/api/change-types": 2})
	reads = append(reads, randomPages("/api/applications", totals[0].Total, 8, r)...)
	reads = append(reads, randomPages("/api/talents", totals[1].Total, 6, r)...)
	for _, id := range own[:min(len(own), 6)] {
		reads = append(reads, fmt.Sprintf("/api/applications/%d", id))
	}
	save, err := draftSaver(ctx, c, drafts[k])
	return &workstation{c: c, reads: reads, write: save}, err
}

// firstApplications are the ids on the first page of the applications
// the client sees, in state if given.
func firstApplications(ctx context.Context, c *apiClient, state string) ([]int64, error) {
	var p struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := c.get(ctx, "/api/applications?page=1&page_size=10&state="+state, &p); err != nil {
		return nil, err
	}
	ids := make([]int64, len(p.Items))
	for i, it := range p.Items {
		ids[i] = it.ID
	}
	return ids, nil
}

// applicationDetail is the part of an application's page a draft needs.
type applicationDetail struct {
	Application card.Application `json:"application"`
}

// draftSaver saves application id's materials as they are (保存), each
// time at the version the last save left.
func draftSaver(ctx context.Context, c *apiClient, id int64) (func(ctx context.Context) error, error) {
	path := fmt.Sprintf("/api/applications/%d", id)
	var d applicationDetail
	if err := c.get(ctx, path, &d); err != nil {
		return nil, err
	}
	a := d.Application
	return func(ctx context.Context) error {
		_, err := c.call(ctx, http.MethodPut, path, card.Draft{Version: a.Version, Materials: a.Materials}, &d)
		a.Version = d.Application.Version
		return err
	}, nil
}
