package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/audit"
	"huicai/internal/batch"
	"huicai/internal/card"
	"huicai/internal/change"
	"huicai/internal/clock"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/testdb"
)

// planRecorder runs every statement it is given through EXPLAIN QUERY PLAN
// on the same connection before running it, so the plans checked are those
// of the real list and count functions' SQL.
type planRecorder struct {
	*store.DB
	t     *testing.T
	plans []queryPlan
}

type queryPlan struct {
	sql   string
	lines []string
}

func (p *planRecorder) explain(ctx context.Context, query string, args []any) {
	p.t.Helper()
	rows, err := p.DB.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
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
	return p.DB.QueryContext(ctx, query, args...)
}

func (p *planRecorder) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	p.explain(ctx, query, args)
	return p.DB.QueryRowContext(ctx, query, args...)
}

// grownTables are the tables that grow with the unit: no list or count may
// read one of them row by row (a SCAN without an index).
var grownTables = []string{"talents", "card_applications", "change_requests", "audit_log", "users", "cards",
	"talent_list_grams", "card_application_grams", "card_grams", "change_request_grams"}

// aliases map the names the queries give the grown tables to the tables.
var aliases = map[string]string{"t": "talents", "a": "card_applications", "o": "card_applications",
	"r": "change_requests", "u": "users", "c": "cards", "tg": "talent_list_grams", "n": "talents",
	"ag": "card_application_grams", "cg": "card_grams", "rg": "change_request_grams"}

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
		// sorted among themselves: at most a page of them. (Only paging
		// takes its LIMIT as an argument; a subquery's LIMIT 1 is not one.)
		byKeys := !strings.Contains(p.sql, "LIMIT ?")
		if sorts && defaultOrder && !byKeys {
			t.Errorf("%s: sort for the default order:\n%s\n%s", name, p.sql, plan)
		}
		walksInOrder := strings.Contains(p.sql, "ORDER BY") && strings.Contains(p.sql, "LIMIT ?") && !sorts
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

// planFixture fills db with 40 talents and their applications in one 二级单位,
// three bound to a commissioner, and a card and a change request for
// each, so that every list has pages to walk.
func planFixture(t *testing.T, db *store.DB, leader account.User) (commissioner, talentUser account.User, dept int64) {
	t.Helper()
	ctx := context.Background()
	dept = testdb.Department(t, db, "查询计划学院")
	commissioner = testdb.Commissioner(t, db, leader, "zyplan", 1, dept, true)
	var ids []int64
	for i := range 40 {
		ids = append(ids, testdb.Talent(t, db, fmt.Sprintf("rc%02d", i), 100+i, dept).ID)
	}
	testdb.Bind(t, db, leader, commissioner, ids[:3]...)
	for i, id := range ids {
		var cardID int64
		err := db.WriteRowContext(ctx, `INSERT INTO cards(talent_id, card_no, issued_on, expires_on, created_at)
			VALUES (?, ?, '2026-01-01', '2031-01-01', ?) RETURNING id`, id, fmt.Sprintf("HC%04d", i), store.Now()).Scan(&cardID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.Exec(`INSERT INTO change_requests(talent_id, card_id, commissioner_id, type_id, state, change_date,
			description, created_at, updated_at) VALUES (?, ?, ?, (SELECT MIN(id) FROM change_types), ?, '2026-11-01', '', ?, ?)`,
			id, cardID, commissioner.ID, change.StateApproved, store.Now(), store.Now())
		if err != nil {
			t.Fatal(err)
		}
	}
	return commissioner, account.User{ID: ids[0], Role: account.RoleTalent}, dept
}

// TestQueryPlans checks every list and count the UI runs, with its default
// order and each filter the UI offers, on the real migrated schema.
func TestQueryPlans(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t)
	leader := testdb.Leader(t, db)
	commissioner, talentUser, dept := planFixture(t, db, leader)

	// run reads the list at pages that take every walk List knows: from
	// the start, backwards from the end, from a row remembered before or
	// after the page, and past the end.
	var ran []string
	run := func(name string, defaultOrder bool, list func(q store.Querier, page int) error) {
		t.Helper()
		rec := &planRecorder{DB: db, t: t}
		for _, page := range []int{1, 4, 3, 2, 3, 2, 1, 9} {
			if err := list(rec, page); err != nil {
				t.Fatalf("%s, page %d: %v", name, page, err)
			}
		}
		checkPlans(t, name, defaultOrder, rec.plans)
		for _, p := range rec.plans {
			ran = append(ran, p.sql)
		}
	}
	// Every way List reads a page was among the plans checked: along a
	// list's copy of the name index, seeking from a remembered row forwards
	// and backwards, and reading the list backwards from its end.
	defer func() {
		for _, shape := range []string{"(ag.state, ag.updated_at, ag.id) > (?, ?, ?)", "FROM talent_list_grams tg",
			"(tg.department_id, tg.created_at, tg.id) <= (?, ?, ?)", "(rg.change_date, rg.id) <= (?, ?)",
			"(cg.expires_on, cg.id) >= (?, ?)",
			"(a.updated_at, a.id) <= (?, ?)",
			"(a.updated_at, a.id) > (?, ?)", "ORDER BY a.updated_at ASC, a.id ASC LIMIT", "(at, id) <= (?, ?)",
			"r.id <= ?", "FROM card_application_grams ag", "(ag.updated_at, ag.id) <= (?, ?)",
			"FROM card_grams cg", "FROM change_request_grams rg", "rg.id > ?",
			"(t.created_at, t.user_id) <= (?, ?)", "ORDER BY t.created_at ASC, t.user_id ASC LIMIT"} {
			if !slices.ContainsFunc(ran, func(sql string) bool { return strings.Contains(sql, shape) }) {
				t.Errorf("no statement checked has %q", shape)
			}
		}
	}()
	// unfiltered names the cases that show a whole list, in its default
	// order or sorted by a key the list offers, or search it by name (along
	// the list's copy of the name index in that order).
	unfiltered := func(name string) bool {
		return name == "all" || name == "page 5" || strings.HasPrefix(name, "sort by") || name == "oldest first" ||
			strings.HasPrefix(name, "name") && !strings.Contains(name, " and ")
	}

	cardFilters := map[string]card.Filter{
		"all": {}, "state": {States: []string{card.StateSupplement}},
		"states": {States: []string{card.StateSupplement, card.StateReturned}}, "department": {DepartmentID: dept},
		"commissioner": {CommissionerID: commissioner.ID}, "department and state": {DepartmentID: dept, States: []string{card.StateSupplement}},
		"page 5": {Page: 5}, "name": {Name: "王"}, "name pair": {Name: "王小"}, "common name": {Name: "人才"}, "name of one": {Name: "rc07"}, "id number": {IDNumber: "110101199001011234"},
		"name and department": {Name: "人", DepartmentID: dept}, "name, earliest first": {Name: "人才", Sort: "updated"},
		"name by state": {Name: "人", Sort: "state"}, "name by state, latest first": {Name: "人才", Sort: "-state"}, "sort by state": {Sort: "-state"}, "sort by updated": {Sort: "updated"}, "month": {Month: "2026-11"},
	}
	for name, f := range cardFilters {
		for _, u := range []account.User{leader, commissioner, talentUser} {
			run("card list "+name+" as "+string(u.Role), unfiltered(name) && u.Role == account.RoleLeader, func(q store.Querier, page int) error {
				f.Page = page
				_, err := card.List(ctx, q, f.Scope(u))
				return err
			})
		}
	}
	for _, u := range []account.User{leader, commissioner, talentUser} {
		run("home counts as "+string(u.Role), false, func(q store.Querier, _ int) error {
			_, err := card.Counts(ctx, q, u)
			return err
		})
	}

	changeFilters := map[string]change.Filter{"all": {}, "state": {States: []string{change.StateApproved}}, "page 5": {Page: 5},
		"name": {Name: "赟"}, "common name": {Name: "人"}, "department": {DepartmentID: dept},
		"name and department": {Name: "人", DepartmentID: dept}, "name, oldest first": {Name: "人才", Sort: "created"},
		"name by change date": {Name: "人", Sort: "-change_date"}, "name by state": {Name: "人才", Sort: "state"}, "id number": {IDNumber: "110101199001011234"}, "sort by change date": {Sort: "-change_date"},
		"sort by state": {Sort: "state"}, "sort by created": {Sort: "created"}}
	for name, f := range changeFilters {
		for _, u := range []account.User{leader, commissioner} {
			run("change list "+name+" as "+string(u.Role), unfiltered(name) && u.Role == account.RoleLeader, func(q store.Querier, page int) error {
				f.Page = page
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
		run("audit list "+name, unfiltered(name), func(q store.Querier, page int) error {
			f.Page = page
			_, err := audit.List(ctx, q, f)
			return err
		})
	}
	run("audit actions", false, func(q store.Querier, _ int) error {
		_, err := audit.Actions(ctx, q)
		return err
	})

	for tab, statuses := range staffTabs {
		run("staff list "+tab, true, func(q store.Querier, page int) error {
			_, err := account.StaffList(ctx, q, account.StaffFilter{Statuses: statuses, Page: page})
			return err
		})
	}
	run("home charts and reminders", false, func(q store.Querier, _ int) error {
		return errors.Join(errOf(card.ValidCardsByDepartment(ctx, q)), errOf(card.ValidCardsByCategory(ctx, q)),
			errOf(card.ApplicationsByMonth(ctx, q, clock.Now(), 12)), errOf(change.CountsByState(ctx, q)),
			errOf(card.ExpiryReminders(ctx, q, 0, clock.Now())), errOf(change.LateReminders(ctx, q, leader, clock.Now())),
			errOf(account.StaffPendingReminder(ctx, q, clock.Now())))
	})
	run("staff counts", false, func(q store.Querier, _ int) error {
		_, err := account.StaffCounts(ctx, q)
		return err
	})

	holderFilters := map[string]card.HolderFilter{"all": {}, "page 5": {Page: 5}, "name": {Name: "堃"}, "common name": {Name: "人才"},
		"id number": {IDNumber: "110101199001011234"}, "commissioner": {CommissionerID: commissioner.ID},
		"name and commissioner": {Name: "人才", CommissionerID: commissioner.ID}, "name of one and category": {Name: "rc07", Category: "泰山学者"},
		"sort by expires": {Sort: "expires"}, "sort by issued": {Sort: "-issued"}, "name by expires": {Name: "人", Sort: "expires"},
		"name by issued": {Name: "人才", Sort: "-issued"}, "category": {Category: "泰山学者"},
		"valid": {Status: card.StatusValid}, "lapsing": {Status: card.StatusValid, ExpiresTo: "2027-01-01"},
		"lapsed": {Status: card.StatusExpired}}
	for name, f := range holderFilters {
		run("card holders "+name, unfiltered(name), func(q store.Querier, page int) error {
			f.Page = page
			_, err := card.Holders(ctx, q, f)
			return err
		})
	}

	talentFilters := map[string]talent.Filter{
		"all": {}, "department": {DepartmentID: dept}, "bound": {Bound: "bound"}, "unbound": {Bound: "unbound"},
		"commissioner": {CommissionerID: commissioner.ID}, "department and unbound": {DepartmentID: dept, Bound: "unbound"},
		"page 5": {Page: 5}, "name": {Name: "珺"}, "common name": {Name: "人"}, "name of one": {Name: "rc07"}, "id number": {IDNumber: "110101199001011234"},
		"sort by name": {Sort: "name"}, "sort by department": {Sort: "-department"}, "sort by created": {Sort: "created"},
		"name by name": {Name: "人", Sort: "name"}, "name by department": {Name: "人才", Sort: "-department"},
		"name, oldest first": {Name: "人", Sort: "created"},
	}
	for name, f := range talentFilters {
		run("talent list "+name, unfiltered(name), func(q store.Querier, page int) error {
			f.Page = page
			_, err := talent.List(ctx, q, f)
			return err
		})
	}
}

// TestBatchListCountsNoItems checks that the batches list reads each
// batch's item count from its row: a large unit's batch holds thousands of
// items, and counting them for every listed batch made the list grow with
// the unit.
func TestBatchListCountsNoItems(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t)
	leader := testdb.Leader(t, db)
	for id := int64(1); id <= 3; id++ {
		_, err := db.Exec(`INSERT INTO batches(id, kind, kind_label, number, state, contact_person, contact_phone,
			created_by, created_at) VALUES (?, ?, ?, ?, ?, '张三', '0531-88364000', ?, ?)`, id, card.Kind.Code(),
			card.Kind.Label(), fmt.Sprintf("HC20260101-%02d", id), batch.StateDraft, leader.ID, store.Now())
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.Exec(`INSERT INTO batch_items(batch_id, kind, item_id, position) VALUES (?, ?, ?, 1)`, id, card.Kind.Code(), id)
		if err != nil {
			t.Fatal(err)
		}
	}
	rec := &planRecorder{DB: db, t: t}
	for _, kind := range []string{"", card.Kind.Code()} {
		if list, err := batch.List(ctx, rec, leader, kind, 1, 10); err != nil || len(list.Items) != 3 {
			t.Fatalf("kind %q: %+v %v", kind, list, err)
		}
	}
	checkPlans(t, "batches", true, rec.plans)
	for _, p := range rec.plans {
		if plan := strings.Join(p.lines, "\n"); strings.Contains(plan, "batch_items") {
			t.Errorf("batches list reads batch_items:\n%s\n%s", p.sql, plan)
		}
	}
}

// TestPageSizeIsCapped asks every list for more than a page holds: each
// answers at most store.MaxPageSize rows and says so in page_size; the
// audit log, given more rows than that, answers a full page of them.
func TestPageSizeIsCapped(t *testing.T) {
	f := newRoleFixture(t)
	token := f.tokens[account.RoleLeader]
	err := f.a.db.Tx(context.Background(), func(tx *sql.Tx) error {
		for i := range store.MaxPageSize + 20 {
			e := audit.Entry{Actor: audit.Actor{Username: "leader", Role: "leader"}, Action: "测试", Object: fmt.Sprint(i), Outcome: audit.OK}
			if err := audit.Append(context.Background(), tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	staffTalents := fmt.Sprintf("/api/staff/%d/talents", f.c1.ID)
	for path, want := range map[string]float64{
		"/api/talents?page_size=5000": store.MaxPageSize, "/api/applications?page_size=5000": store.MaxPageSize,
		"/api/changes?page_size=5000": store.MaxPageSize, "/api/audit?page_size=5000": store.MaxPageSize,
		"/api/card-holders?page_size=5000": store.MaxPageSize, staffTalents + "?page_size=5000": store.MaxPageSize,
		"/api/talents?page_size=30": 30, "/api/talents": 10, "/api/audit": 20, staffTalents: 10,
	} {
		r := call(t, f.h, "GET", path, token, "")
		if r.Status != 200 || r.Body["page_size"] != want {
			t.Errorf("GET %s: %d, page_size %v; want 200, %v", path, r.Status, r.Body["page_size"], want)
		}
	}
	r := call(t, f.h, "GET", "/api/audit?page_size=5000", token, "")
	if items, _ := r.Body["items"].([]any); len(items) != store.MaxPageSize || r.Body["total"].(float64) <= store.MaxPageSize {
		t.Errorf("the audit log asked for 5000 rows: %d of %v", len(items), r.Body["total"])
	}
}

// TestListsRefuseUnknownSorts: every list answers a sort it does not offer
// with 400 and the keys it does, and takes the keys it offers; a list
// that offers none says so.
func TestListsRefuseUnknownSorts(t *testing.T) {
	a := newTestApp(t)
	h := a.API()
	token := setUp(t, h)
	for _, path := range []string{"/api/staff?sort=id_number", "/api/batches?kind=card&sort=id_number"} {
		r := call(t, h, "GET", path, token, "")
		if r.Status != 400 || !strings.Contains(r.errField("sort"), "不支持排序") {
			t.Errorf("GET %s sorted: %d %s; want 400, no sort offered", path, r.Status, r.Raw)
		}
	}
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

// errOf is the error of a (value, error) answer.
func errOf[T any](_ T, err error) error { return err }
