package app

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/audit"
	"huicai/internal/card"
	"huicai/internal/change"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/testdb"
)

// planRecorder runs every statement it is given through EXPLAIN QUERY PLAN
// on the same connection before running it, so the plans checked are those
// of the real list and count functions' SQL.
type planRecorder struct {
	store.Querier
	t     *testing.T
	plans []queryPlan
}

type queryPlan struct {
	sql   string
	lines []string
}

func (p *planRecorder) explain(ctx context.Context, query string, args []any) {
	p.t.Helper()
	rows, err := p.Querier.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		p.t.Fatalf("explain %s: %v", query, err)
	}
	defer rows.Close()
	plan := queryPlan{sql: query}
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			p.t.Fatal(err)
		}
		plan.lines = append(plan.lines, detail)
	}
	if err := rows.Err(); err != nil {
		p.t.Fatal(err)
	}
	p.plans = append(p.plans, plan)
}

func (p *planRecorder) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	p.explain(ctx, query, args)
	return p.Querier.QueryContext(ctx, query, args...)
}

func (p *planRecorder) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	p.explain(ctx, query, args)
	return p.Querier.QueryRowContext(ctx, query, args...)
}

// grownTables are the tables that grow with the unit: no list or count may
// read one of them row by row (a SCAN without an index).
var grownTables = []string{"talents", "card_applications", "change_requests", "audit_log", "users", "cards",
	"talent_name_grams"}

// aliases map the names the queries give the grown tables to the tables.
var aliases = map[string]string{"t": "talents", "a": "card_applications", "o": "card_applications",
	"r": "change_requests", "u": "users", "c": "cards", "g": "talent_name_grams", "n": "talents"}

var scanLine = regexp.MustCompile(`^SCAN (\w+)(.*)$`)

// checkPlans fails on a full scan of a grown table and, when defaultOrder
// is set (the whole list in its default order, as the leader first sees
// it), on a sort (USE TEMP B-TREE FOR ORDER BY). A scan along an index is
// fine: it counts from a narrow index without reading the rows. So is a
// plain scan that reads the rows in the page's order (a LIMIT, no sort): it
// stops at the end of the page. A filtered or scoped list may sort what an
// index search selected: the filter bounds it, not the unit's size.
func checkPlans(t *testing.T, name string, defaultOrder bool, plans []queryPlan) {
	t.Helper()
	if len(plans) == 0 {
		t.Fatalf("%s: no statement ran", name)
	}
	for _, p := range plans {
		plan := strings.Join(p.lines, "\n")
		sorts := strings.Contains(plan, "USE TEMP B-TREE FOR ORDER BY")
		// A page's rows, read by the keys its paging query found, are
		// sorted among themselves: at most a page of them.
		byKeys := !strings.Contains(p.sql, "LIMIT")
		if sorts && defaultOrder && !byKeys {
			t.Errorf("%s: sort for the default order:\n%s\n%s", name, p.sql, plan)
		}
		walksInOrder := strings.Contains(p.sql, "ORDER BY") && strings.Contains(p.sql, "LIMIT") && !sorts
		for _, line := range p.lines {
			m := scanLine.FindStringSubmatch(line)
			if m == nil || strings.Contains(m[2], "USING") || walksInOrder {
				continue
			}
			table := m[1]
			if full, ok := aliases[table]; ok {
				table = full
			}
			if slices.Contains(grownTables, table) {
				t.Errorf("%s: full scan of %s:\n%s\n%s", name, table, p.sql, plan)
			}
		}
	}
}

// TestQueryPlans checks every list and count the UI runs, with its default
// order and each filter the UI offers, on the real migrated schema.
func TestQueryPlans(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t)
	leader := testdb.Leader(t, db)
	commissioner := account.User{ID: 2, Role: account.RoleCommissioner}
	talentUser := account.User{ID: 3, Role: account.RoleTalent}

	run := func(name string, defaultOrder bool, list func(q store.Querier) error) {
		t.Helper()
		rec := &planRecorder{Querier: db, t: t}
		if err := list(rec); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkPlans(t, name, defaultOrder, rec.plans)
	}
	// unfiltered names the cases that show a whole list, in its default
	// order or sorted by a key the list offers.
	unfiltered := func(name string) bool {
		return name == "all" || name == "page 5" || strings.HasPrefix(name, "sort by") || name == "oldest first"
	}

	cardFilters := map[string]card.Filter{
		"all": {}, "state": {States: []string{card.StateSupplement}},
		"states": {States: []string{card.StateSupplement, card.StateReturned}}, "department": {DepartmentID: 1},
		"commissioner": {CommissionerID: 2}, "department and state": {DepartmentID: 1, States: []string{card.StateSupplement}},
		"page 5": {Page: 5}, "name": {Name: "王"}, "name pair": {Name: "王小"}, "id number": {IDNumber: "110101199001011234"},
		"sort by state": {Sort: "-state"}, "sort by updated": {Sort: "updated"},
	}
	for name, f := range cardFilters {
		for _, u := range []account.User{leader, commissioner, talentUser} {
			run("card list "+name+" as "+string(u.Role), unfiltered(name) && u.Role == account.RoleLeader, func(q store.Querier) error {
				_, err := card.List(ctx, q, f.Scope(u))
				return err
			})
		}
	}
	for _, u := range []account.User{leader, commissioner, talentUser} {
		run("home counts as "+string(u.Role), false, func(q store.Querier) error {
			_, err := card.Counts(ctx, q, u)
			return err
		})
	}

	changeFilters := map[string]change.Filter{"all": {}, "state": {States: []string{change.StateApproved}}, "page 5": {Page: 5},
		"name": {Name: "赟"}, "id number": {IDNumber: "110101199001011234"}, "sort by change date": {Sort: "-change_date"},
		"sort by state": {Sort: "state"}, "sort by created": {Sort: "created"}}
	for name, f := range changeFilters {
		for _, u := range []account.User{leader, commissioner} {
			run("change list "+name+" as "+string(u.Role), unfiltered(name) && u.Role == account.RoleLeader, func(q store.Querier) error {
				_, err := change.List(ctx, q, f.Scope(u))
				return err
			})
		}
	}

	auditFilters := map[string]audit.Filter{
		"all": {}, "from": {From: "2026-11-01"}, "range": {From: "2026-11-01", To: "2026-11-30"},
		"action": {Action: "login"}, "action and range": {Action: "login", From: "2026-11-01", To: "2026-11-30"},
		"page 5": {Page: 5}, "user": {User: "leader"}, "user and range": {User: "leader", From: "2026-11-01"},
		"oldest first": {Sort: "at"},
	}
	for name, f := range auditFilters {
		run("audit list "+name, unfiltered(name), func(q store.Querier) error {
			_, err := audit.List(ctx, q, f)
			return err
		})
	}
	run("audit actions", false, func(q store.Querier) error {
		_, err := audit.Actions(ctx, q)
		return err
	})

	for tab, statuses := range staffTabs {
		run("staff list "+tab, true, func(q store.Querier) error {
			_, err := account.StaffList(ctx, q, account.StaffFilter{Statuses: statuses})
			return err
		})
	}
	run("staff counts", false, func(q store.Querier) error {
		_, err := account.StaffCounts(ctx, q)
		return err
	})

	holderFilters := map[string]card.HolderFilter{"all": {}, "page 5": {Page: 5}, "name": {Name: "堃"},
		"id number": {IDNumber: "110101199001011234"}, "commissioner": {CommissionerID: 2},
		"sort by expires": {Sort: "expires"}, "sort by issued": {Sort: "-issued"}}
	for name, f := range holderFilters {
		run("card holders "+name, unfiltered(name), func(q store.Querier) error {
			_, err := card.Holders(ctx, q, f)
			return err
		})
	}

	talentFilters := map[string]talent.Filter{
		"all": {}, "department": {DepartmentID: 1}, "bound": {Bound: "bound"}, "unbound": {Bound: "unbound"},
		"commissioner": {CommissionerID: 2}, "department and unbound": {DepartmentID: 1, Bound: "unbound"},
		"page 5": {Page: 5}, "name": {Name: "珺"}, "id number": {IDNumber: "110101199001011234"},
		"sort by name": {Sort: "name"}, "sort by department": {Sort: "-department"}, "sort by created": {Sort: "created"},
	}
	for name, f := range talentFilters {
		run("talent list "+name, unfiltered(name), func(q store.Querier) error {
			_, err := talent.List(ctx, q, f)
			return err
		})
	}
}

// TestPageSizeIsCapped asks every list for more than a page holds: each
// answers at most store.MaxPageSize rows and says so in page_size.
func TestPageSizeIsCapped(t *testing.T) {
	a := newTestApp(t)
	h := a.API()
	token := setUp(t, h)
	for path, want := range map[string]float64{
		"/api/talents?page_size=5000": store.MaxPageSize, "/api/applications?page_size=5000": store.MaxPageSize,
		"/api/changes?page_size=5000": store.MaxPageSize, "/api/audit?page_size=5000": store.MaxPageSize,
		"/api/talents?page_size=30": 30, "/api/talents": 10, "/api/audit": 20,
	} {
		r := call(t, h, "GET", path, token, "")
		if r.Status != 200 || r.Body["page_size"] != want {
			t.Errorf("GET %s: %d, page_size %v; want 200, %v", path, r.Status, r.Body["page_size"], want)
		}
	}
}

// TestListsRefuseUnknownSorts: every list answers a sort it does not offer
// with 400 and the keys it does, and takes the keys it offers.
func TestListsRefuseUnknownSorts(t *testing.T) {
	a := newTestApp(t)
	h := a.API()
	token := setUp(t, h)
	for path, allowed := range map[string]string{
		"/api/talents": "created、department、name", "/api/applications": "state、updated",
		"/api/changes": "change_date、created、state", "/api/card-holders": "expires、issued", "/api/audit": "at",
	} {
		r := call(t, h, "GET", path+"?sort=id_number", token, "")
		fields, _ := r.Body["error"].(map[string]any)["fields"].(map[string]any)
		if r.Status != 400 || !strings.Contains(fmt.Sprint(fields["sort"]), "可选："+allowed) {
			t.Errorf("GET %s?sort=id_number: %d %s; want 400 listing %s", path, r.Status, r.Raw, allowed)
		}
		for key := range strings.SplitSeq(allowed, "、") {
			if r := call(t, h, "GET", path+"?sort=-"+key, token, ""); r.Status != 200 {
				t.Errorf("GET %s?sort=-%s: %d %s", path, key, r.Status, r.Raw)
			}
		}
	}
}
