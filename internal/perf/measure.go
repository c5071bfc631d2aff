package perf

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log"
	"slices"
	"strings"
	"time"
)

// MeasureOptions say what to measure and how hard.
type MeasureOptions struct {
	// Bin is the huicai binary whose "serve" is measured.
	Bin string
	// DataDir is a seeded installation of Talents talents.
	DataDir string
	Talents int
	// Requests is how many times each list is asked for (default 200).
	Requests int
	// Load is how long the load test runs (default 30 s).
	Load time.Duration
	// ColdStarts is how many starts the start-up figure is the median of
	// (default 3).
	ColdStarts int
	// PapersOnly skips the start-ups, lists and load test: for working on
	// exports and packaging, whose run is the slowest to reach.
	PapersOnly bool
	// ListsOnly stops after the lists: for working on a list's query.
	ListsOnly bool
	// Log receives progress lines; nil discards them.
	Log *log.Logger
}

// measurer carries a measurement's server and clients from step to step.
type measurer struct {
	opt                  MeasureOptions
	srv                  *server
	leader, commissioner *apiClient
	rows                 []Row
}

// Measure measures a seeded installation from outside, through the HTTP
// API of "huicai serve" processes it starts on loopback: the start-up to
// the login page, every list and count the UI asks for, workstations at
// once, the server's memory, and Papers. A failed request fails the
// measurement (after the rest has run, for the load test); a slow one
// never does.
func Measure(ctx context.Context, opt MeasureOptions) ([]Row, error) {
	opt.Requests, opt.Load, opt.ColdStarts = cmp.Or(opt.Requests, 200), cmp.Or(opt.Load, 30*time.Second), cmp.Or(opt.ColdStarts, 3)
	m := &measurer{opt: opt}
	if !opt.PapersOnly {
		if err := m.coldStarts(ctx); err != nil {
			return m.rows, err
		}
	}
	srv, err := startServer(ctx, opt.Bin, opt.DataDir)
	if err != nil {
		return m.rows, err
	}
	m.srv = srv
	err = m.measureRunning(ctx)
	if stopErr := srv.stop(); stopErr != nil {
		err = errors.Join(err, stopErr)
	}
	return m.rows, err
}

// measureRunning takes the measurements of the running server.
func (m *measurer) measureRunning(ctx context.Context) error {
	m.opt.logf("waiting for the server's start-up work (daily audit check and backup)")
	if _, err := m.srv.loginPage(ctx); err != nil {
		return err
	}
	if err := settle(ctx, m.srv.pid(), m.opt.DataDir); err != nil {
		return err
	}
	if err := m.memory("idle RSS after start-up", false); err != nil {
		return err
	}
	m.leader, m.commissioner = newClient(m.srv.url, "127.0.0.2"), newClient(m.srv.url, "127.0.0.3")
	if err := m.leader.login(ctx, LeaderUsername, Password); err != nil {
		return err
	}
	if err := m.commissioner.login(ctx, CommissionerUsername(0), Password); err != nil {
		return err
	}
	if m.opt.PapersOnly {
		return m.papers(ctx)
	}
	v, err := discover(ctx, m.leader, m.opt.Talents)
	if err != nil {
		return err
	}
	if err := m.lists(ctx, v); err != nil || m.opt.ListsOnly {
		return err
	}
	loadErr := m.load(ctx, v)
	return errors.Join(loadErr, m.papers(ctx))
}

// add adds rows measured at this scale.
func (m *measurer) add(rows ...Row) { m.rows = append(m.rows, rows...) }

// coldStarts starts the server on the installation ColdStarts times and
// takes the median time to its login page.
func (m *measurer) coldStarts(ctx context.Context) error {
	var times []time.Duration
	for range m.opt.ColdStarts {
		srv, err := startServer(ctx, m.opt.Bin, m.opt.DataDir)
		if err != nil {
			return err
		}
		took, err := srv.loginPage(ctx)
		if err := errors.Join(err, srv.stop()); err != nil {
			return err
		}
		times = append(times, took)
	}
	each := make([]string, len(times))
	for i, t := range times {
		each[i] = ms(t)
	}
	slices.Sort(times)
	m.add(Row{Section: "start", Metric: fmt.Sprintf("start-up to the login page (/ and /api/setup), median of %d", len(times)),
		Scale: m.opt.Talents, Value: fmt.Sprintf("%s ms (in turn: %s ms)", ms(times[len(times)/2]), strings.Join(each, ", ")),
		Goal: "≤ 1 s at 50k"})
	return nil
}

// kibToMB is KiB in MB.
func kibToMB(kib int) float64 { return float64(kib) / 1024 }

// memory adds a row of the server's memory now: its RSS, or with peak
// its peak RSS since the last resetPeak.
func (m *measurer) memory(metric string, peak bool) error {
	mem, err := readMemory(m.srv.pid())
	if err != nil {
		return err
	}
	value, goal := fmt.Sprintf("%.0f MB (the program's own: %.0f MB)", kibToMB(mem.rss), kibToMB(mem.anon)), "≤ 80 MB idle"
	if peak {
		value, goal = fmt.Sprintf("%.0f MB", kibToMB(mem.peak)), ""
	}
	m.add(Row{Section: "memory", Metric: metric, Scale: m.opt.Talents, Value: value, Goal: goal})
	return nil
}

// lists times every list and count, then lets the server idle.
func (m *measurer) lists(ctx context.Context, v survey) error {
	m.opt.logf("lists: %d requests each", m.opt.Requests)
	if err := resetPeak(m.srv.pid()); err != nil {
		return err
	}
	rows, err := measureLists(ctx, m.leader, m.commissioner, v, m.opt.Talents, m.opt.Requests)
	m.add(rows...)
	if err != nil {
		return err
	}
	if err := m.memory("peak RSS during the list measurements", true); err != nil {
		return err
	}
	time.Sleep(5 * time.Second)
	return m.memory("idle RSS after the list measurements (5 s idle)", false)
}

// load runs the load test; its errors are returned after its rows are added.
func (m *measurer) load(ctx context.Context, v survey) error {
	m.opt.logf("load: %d clients for %s", loadClients, m.opt.Load)
	if err := resetPeak(m.srv.pid()); err != nil {
		return err
	}
	rows, err := measureLoad(ctx, m.srv.url, v, NewPlan(m.opt.Talents).Commissioners, m.opt.Talents, m.opt.Load)
	m.add(rows...)
	return errors.Join(err, m.memory("peak RSS during the load test", true))
}

// papers adds the rows of Papers: exports, packaging and backup.
func (m *measurer) papers(ctx context.Context) error {
	m.opt.logf("papers: exports, packaging, backup")
	env := &Env{BaseURL: m.srv.url, Client: m.leader.http, Token: m.leader.token, LeaderPassword: Password,
		DataDir: m.opt.DataDir, PID: m.srv.pid(), Talents: m.opt.Talents}
	rows, err := Papers(ctx, env)
	m.add(rows...)
	return err
}
