package perf

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"time"

	"huicai/internal/card"
)

// listGoal is the goal for every list and count.
const listGoal = "p50 ≤ 10 ms, p99 ≤ 30 ms; ≤ 1.5× growth"

// listTarget is one list or count the UI asks for.
type listTarget struct{ name, path string }

// survey is what the list targets need to know of the installation.
type survey struct {
	talents, applications, changes, audit int
	// inReview are the applications 待单位审核, logins the audit rows 登录,
	// appsInDepartment and changesInDepartment those of department's
	// talents.
	inReview, logins, appsInDepartment, changesInDepartment int
	department, commissioner                                int64
	idNumber                                                string
}

// page is a list answer's count.
type page struct {
	Total int `json:"total"`
}

// discover asks the server, as the leader, for the lists' lengths and
// for a department and a commissioner to filter by.
func discover(ctx context.Context, leader *apiClient, talents int) (survey, error) {
	v := survey{idNumber: personAt(talents / 2).idNumber}
	for _, t := range []struct {
		path  string
		total *int
	}{{"/api/talents?page_size=1", &v.talents}, {"/api/applications?page_size=1", &v.applications},
		{"/api/changes?page_size=1", &v.changes}, {"/api/audit?page_size=1", &v.audit},
		{"/api/applications?page_size=1&state=unit_review", &v.inReview}, {"/api/audit?page_size=1&action=" + url.QueryEscape("登录"), &v.logins}} {
		var p page
		if err := leader.get(ctx, t.path, &p); err != nil {
			return v, err
		}
		*t.total = p.Total
	}
	var departments []struct {
		ID int64 `json:"id"`
	}
	if err := leader.get(ctx, "/api/departments", &departments); err != nil || len(departments) == 0 {
		return v, fmt.Errorf("departments: %d, %v", len(departments), err)
	}
	var staff struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := leader.get(ctx, "/api/staff?tab=active", &staff); err != nil || len(staff.Items) == 0 {
		return v, fmt.Errorf("commissioners: %d, %v", len(staff.Items), err)
	}
	v.department, v.commissioner = departments[0].ID, staff.Items[0].ID
	for path, n := range map[string]*int{"/api/applications": &v.appsInDepartment, "/api/changes": &v.changesInDepartment} {
		var p page
		if err := leader.get(ctx, fmt.Sprintf("%s?page_size=1&department_id=%d", path, v.department), &p); err != nil {
			return v, err
		}
		*n = p.Total
	}
	return v, nil
}

// middle and last are the middle and the last page of a list of total
// rows, size to a page.
func middle(total, size int) int { return max(total/size/2, 1) }
func last(total, size int) int   { return max((total+size-1)/size, 1) }

// leaderTargets are the lists and counts the UI asks the leader for, with
// the pages and filters that cost most.
func leaderTargets(v survey) []listTarget {
	q := url.QueryEscape
	return []listTarget{
		{"home counts (/api/home)", "/api/home"},
		{"talents, page 1", "/api/talents?page=1&page_size=10"},
		{"talents, middle page", fmt.Sprintf("/api/talents?page=%d&page_size=10", middle(v.talents, 10))},
		{"talents, last page", fmt.Sprintf("/api/talents?page=%d&page_size=10", last(v.talents, 10))},
		{"talents, sorted by name, middle page", fmt.Sprintf("/api/talents?sort=name&page=%d&page_size=10", middle(v.talents, 10))},
		{"talents, by 二级单位", fmt.Sprintf("/api/talents?department_id=%d&page=1&page_size=10", v.department)},
		{"talents, name search 王 (1 char)", "/api/talents?page=1&page_size=10&name=" + q("王")},
		{"talents, name search 堃 (1 char, rare)", "/api/talents?page=1&page_size=10&name=" + q("堃")},
		{"talents, name search 欧阳 (2 chars)", "/api/talents?page=1&page_size=10&name=" + q("欧阳")},
		{"talents, name search 王, sorted by name", "/api/talents?sort=name&page=1&page_size=10&name=" + q("王")},
		{"talents, name search 王, sorted by 二级单位", "/api/talents?sort=-department&page=1&page_size=10&name=" + q("王")},
		{"applications, page 1", "/api/applications?page=1&page_size=10"},
		{"applications, middle page", fmt.Sprintf("/api/applications?page=%d&page_size=10", middle(v.applications, 10))},
		{"applications, last page", fmt.Sprintf("/api/applications?page=%d&page_size=10", last(v.applications, 10))},
		{"applications, sorted by state, middle page", fmt.Sprintf("/api/applications?sort=state&page=%d&page_size=10", middle(v.applications, 10))},
		{"applications, state 待单位审核", "/api/applications?page=1&page_size=10&state=unit_review"},
		{"applications, 汇总提交 picker (单位审核通过, 50 a page)", "/api/applications?page=1&page_size=50&state=unit_approved"},
		{"applications, by 二级单位", fmt.Sprintf("/api/applications?page=1&page_size=10&department_id=%d", v.department)},
		{"applications, by commissioner", fmt.Sprintf("/api/applications?page=1&page_size=10&commissioner_id=%d", v.commissioner)},
		{"applications, name search 王", "/api/applications?page=1&page_size=10&name=" + q("王")},
		{"applications, name search 王, sorted by state", "/api/applications?sort=state&page=1&page_size=10&name=" + q("王")},
		{"changes, page 1", "/api/changes?page=1&page_size=10"},
		{"changes, middle page", fmt.Sprintf("/api/changes?page=%d&page_size=10", middle(v.changes, 10))},
		{"changes, last page", fmt.Sprintf("/api/changes?page=%d&page_size=10", last(v.changes, 10))},
		{"changes, sorted by change date, middle page", fmt.Sprintf("/api/changes?sort=-change_date&page=%d&page_size=10", middle(v.changes, 10))},
		{"changes, state 待单位审核", "/api/changes?page=1&page_size=10&state=unit_review"},
		{"changes, name search 王", "/api/changes?page=1&page_size=10&name=" + q("王")},
		{"changes, name search 王, sorted by change date", "/api/changes?sort=-change_date&page=1&page_size=10&name=" + q("王")},
		{"changes, name search 王, sorted by state", "/api/changes?sort=state&page=1&page_size=10&name=" + q("王")},
		{"card holders, page 1", "/api/card-holders?page=1&page_size=10"},
		{"card holders, name search 王", "/api/card-holders?page=1&page_size=10&name=" + q("王")},
		{"card holders, name search 王, sorted by expiry", "/api/card-holders?sort=expires&page=1&page_size=10&name=" + q("王")},
		{"staff, pending", "/api/staff?tab=pending"},
		{"staff, approved", "/api/staff?tab=active"},
		{"staff, a commissioner's talents", fmt.Sprintf("/api/staff/%d/talents", v.commissioner)},
		{"audit log, page 1 (with the actions)", "/api/audit?page=1&page_size=20"},
		{"audit log, middle page", fmt.Sprintf("/api/audit?page=%d&page_size=20", middle(v.audit, 20))},
		{"audit log, action 登录", "/api/audit?page=1&page_size=20&action=" + q("登录")},
		{"batches", "/api/batches?kind=card"},
	}
}

// commissionerTargets are the lists a commissioner sees of their own talents.
var commissionerTargets = []listTarget{
	{"commissioner: home counts", "/api/home"},
	{"commissioner: applications, page 1", "/api/applications?page=1&page_size=10"},
	{"commissioner: talents, page 1", "/api/talents?page=1&page_size=10"},
	{"commissioner: changes, page 1", "/api/changes?page=1&page_size=10"},
	{"commissioner: card holders, page 1", "/api/card-holders?page=1&page_size=10"},
}

// timings runs n requests for path one after the other, after a few to
// warm up, and returns their times in order.
func timings(ctx context.Context, c *apiClient, path string, n int) ([]time.Duration, error) {
	for range 3 {
		if err := c.get(ctx, path, nil); err != nil {
			return nil, err
		}
	}
	return timed(ctx, c, path, n, nil)
}

// timed runs n requests for path, each after before when it is given,
// and returns their times in order.
func timed(ctx context.Context, c *apiClient, path string, n int, before func(context.Context) error) ([]time.Duration, error) {
	out := make([]time.Duration, n)
	for i := range out {
		if before != nil {
			if err := before(ctx); err != nil {
				return nil, err
			}
		}
		took, err := c.call(ctx, "GET", path, nil, nil)
		if err != nil {
			return nil, err
		}
		out[i] = took
	}
	slices.Sort(out)
	return out, nil
}

// percentile is the p-th percentile (0 < p ≤ 1) of sorted times, by rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// ms writes a time in milliseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

// coldTargets are pages each read right after a write that moves no row
// of the lists (a batch's contact edited): it forgets the counts and the
// rows List remembers of lists it could have changed (see store.List), and
// the rows of whole lists whose moves are logged are kept (see
// store.KeepMoves).
func coldTargets(v survey) []listTarget {
	return []listTarget{
		{"home counts, first read after a write", "/api/home"},
		{"talents, page 1, first read after a write", "/api/talents?page=1&page_size=10"},
		{"applications, page 1, first read after a write", "/api/applications?page=1&page_size=10"},
		{"card holders, page 1, first read after a write", "/api/card-holders?page=1&page_size=10"},
		{"audit log, page 1, first read after a write", "/api/audit?page=1&page_size=20"},
		{"talents, middle page, first read after a write", fmt.Sprintf("/api/talents?page=%d&page_size=10", middle(v.talents, 10))},
		{"applications, middle page, first read after a write", fmt.Sprintf("/api/applications?page=%d&page_size=10", middle(v.applications, 10))},
		{"audit log, middle page, first read after a write", fmt.Sprintf("/api/audit?page=%d&page_size=20", middle(v.audit, 20))},
	}
}

// movedTargets are pages each read right after a commissioner saves an
// application's draft: the application moves to the top of the list, the
// audit log gains a row, and the rows remembered are moved by them.
func movedTargets(v survey) []listTarget {
	return []listTarget{
		{"home counts, first read after a draft is saved", "/api/home"},
		{"applications, middle page, first read after a draft is saved", fmt.Sprintf("/api/applications?page=%d&page_size=10", middle(v.applications, 10))},
		{"audit log, middle page, first read after a draft is saved", fmt.Sprintf("/api/audit?page=%d&page_size=20", middle(v.audit, 20))},
		{"applications 待单位审核, middle page, first read after a draft is saved",
			fmt.Sprintf("/api/applications?state=unit_review&page=%d&page_size=10", middle(v.inReview, 10))},
		{"audit log, action 登录, middle page, first read after a draft is saved",
			fmt.Sprintf("/api/audit?action=%s&page=%d&page_size=20", url.QueryEscape("登录"), middle(v.logins, 20))},
		{"applications by 二级单位, middle page, first read after a draft is saved",
			fmt.Sprintf("/api/applications?department_id=%d&page=%d&page_size=10", v.department, middle(v.appsInDepartment, 10))},
		{"changes by 二级单位, middle page, first read after a draft is saved",
			fmt.Sprintf("/api/changes?department_id=%d&page=%d&page_size=10", v.department, middle(v.changesInDepartment, 10))},
	}
}

// measureLists times every list target, n requests each, as the leader
// or the commissioner, the pages read right after a write (coldTargets and
// movedTargets, n/4 each) and the ID number search where the API has one.
func measureLists(ctx context.Context, leader, commissioner *apiClient, v survey, scale, n int) ([]Row, error) {
	var rows []Row
	for _, run := range []struct {
		c       *apiClient
		targets []listTarget
	}{{leader, leaderTargets(v)}, {commissioner, commissionerTargets}} {
		for _, t := range run.targets {
			times, err := timings(ctx, run.c, t.path, n)
			if err != nil {
				return rows, err
			}
			rows = append(rows, listRow(t.name, scale, times))
		}
	}
	edit, err := contactEdit(ctx, leader)
	if err != nil {
		return rows, err
	}
	drafts, err := firstApplications(ctx, commissioner, card.StateSupplement)
	if err != nil || len(drafts) == 0 {
		return rows, fmt.Errorf("no application waiting for materials: %v", err)
	}
	save, err := draftSaver(ctx, commissioner, drafts[0])
	if err != nil {
		return rows, err
	}
	for _, run := range []struct {
		write   func(context.Context) error
		targets []listTarget
	}{{edit, coldTargets(v)}, {save, movedTargets(v)}} {
		for _, t := range run.targets {
			times, err := timed(ctx, leader, t.path, max(n/4, 1), run.write)
			if err != nil {
				return rows, err
			}
			rows = append(rows, listRow(t.name, scale, times))
		}
	}
	for _, t := range idSearches(v) {
		row, err := measureIDSearch(ctx, leader, t, scale, n)
		if err != nil {
			return rows, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// listRow is a list's row: p50 and p99 of its times.
func listRow(name string, scale int, sorted []time.Duration) Row {
	return Row{Section: "lists", Metric: name, Scale: scale, Goal: listGoal,
		Value: ms(percentile(sorted, 0.5)) + " / " + ms(percentile(sorted, 0.99)) + " ms"}
}

// idSearches are the lists searched by a whole ID number.
func idSearches(v survey) []listTarget {
	id := url.QueryEscape(v.idNumber)
	return []listTarget{{"talents, ID number search", "/api/talents?page=1&page_size=10&id_number=" + id},
		{"applications, ID number search", "/api/applications?page=1&page_size=10&id_number=" + id}}
}

// measureIDSearch times a search by a whole ID number, which must find
// one row; an API that ignores the number (no such search) is reported as
// such.
func measureIDSearch(ctx context.Context, leader *apiClient, t listTarget, scale, n int) (Row, error) {
	var p page
	if err := leader.get(ctx, t.path, &p); err != nil {
		return Row{}, err
	}
	if p.Total != 1 {
		return Row{Section: "lists", Metric: t.name, Scale: scale, Goal: listGoal, Value: "n/a (no ID number search in the API)"}, nil
	}
	times, err := timings(ctx, leader, t.path, n)
	return listRow(t.name, scale, times), err
}
