package perf

import (
	"context"
	"database/sql"
	"maps"
	"math/rand"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"huicai/app"
	"huicai/internal/account"
	"huicai/internal/audit"
	"huicai/internal/card"
	"huicai/internal/change"
	"huicai/internal/clock"
	"huicai/internal/store"
	"huicai/internal/talent"
)

// listCase is a list read through its List function (page by page) and
// the plain query that says which rows it holds, in which order.
type listCase struct {
	name  string
	page  func(page int) ([]int64, int, error)
	plain string
	args  []any
}

// TestListPagesMatchPlainQueries seeds a small installation and reads the
// lists the UI offers — the whole list in every sort key both ways, and
// filtered by name, 二级单位, commissioner and state — at pages from both ends and between, each twice in a
// shuffled order (so that List walks from remembered rows as well as from
// the ends), checking each page and total against a plain query (ORDER BY
// … LIMIT … OFFSET, no shortcut); then again after writes that move rows
// of every list (moveRows). It also checks the kept home counts.
func TestListPagesMatchPlainQueries(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	if _, err := Seed(ctx, SeedOptions{DataDir: dir, Talents: 200}); err != nil {
		t.Fatal(err)
	}
	db, err := app.OpenData(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var leader account.User
	if err := db.QueryRowContext(ctx, `SELECT id, role FROM users WHERE username = ?`, LeaderUsername).Scan(&leader.ID, &leader.Role); err != nil {
		t.Fatal(err)
	}
	var dept, commissioner int64
	if err := db.QueryRowContext(ctx, `SELECT department_id, commissioner_id FROM talents WHERE commissioner_id IS NOT NULL LIMIT 1`).Scan(&dept, &commissioner); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, db, leader)
	checkItemCounts(t, db)
	rnd := rand.New(rand.NewSource(13))
	for round := range 2 {
		if round == 1 {
			moveRows(t, db)
		}
		checkChangeCounts(t, db, leader)
		for _, c := range listCases(t, db, leader, dept, commissioner) {
			total := checkPage(t, db, c, 1)
			for _, p := range pagesToVisit(total, rnd) {
				checkPage(t, db, c, p)
			}
		}
	}
}

// moveRows moves rows of every list in its orders, through the tables'
// own triggers: applications saved and moved on, a talent renamed and
// another moved to another 二级单位, change requests redated and moved on,
// a card issued to a talent who held one (the newest card changes) and
// to one who did not, a change request deleted, audit rows added. The
// rows the first pass remembered are kept across these writes (see
// store.KeepMoves), so the second pass reads pages walked to from them.
func moveRows(t *testing.T, db *store.DB) {
	t.Helper()
	for _, q := range []string{
		`UPDATE card_applications SET updated_at = '2027-01-0' || (id % 9 + 1) WHERE id % 7 = 3`,
		`UPDATE card_applications SET state = 'unit_review' WHERE id % 11 = 5`,
		`UPDATE talents SET name = '堃' || name WHERE user_id IN (SELECT user_id FROM talents ORDER BY user_id LIMIT 3 OFFSET 40)`,
		`UPDATE talents SET department_id = (SELECT MAX(id) FROM departments), created_at = '2020-01-01 00:00:00'
			WHERE user_id IN (SELECT user_id FROM talents ORDER BY user_id DESC LIMIT 2 OFFSET 17)`,
		`UPDATE change_requests SET change_date = '2020-02-02' WHERE id % 5 = 1`,
		`UPDATE change_requests SET state = 'accepted' WHERE id % 6 = 2`,
		`DELETE FROM change_events WHERE request_id = (SELECT MAX(id) FROM change_requests)`,
		`DELETE FROM change_requests WHERE id = (SELECT MAX(id) FROM change_requests)`,
		`INSERT INTO cards(talent_id, card_no, issued_on, expires_on, created_at)
			SELECT talent_id, 'MOVED' || id, '2026-10-01', '2031-09-30', '2026-10-01 08:00:00' FROM cards WHERE latest = 1 LIMIT 3`,
		`INSERT INTO cards(talent_id, card_no, issued_on, expires_on, created_at)
			SELECT user_id, 'NEW' || user_id, '2026-10-02', '2031-10-01', '2026-10-02 08:00:00' FROM talents
			WHERE user_id NOT IN (SELECT talent_id FROM cards) LIMIT 2`,
		`INSERT INTO audit_log(at, username, role, client, action, object, outcome, detail, prev_hash, hash)
			SELECT at, username, role, client, action, object, outcome, detail, prev_hash, hash FROM audit_log LIMIT 5`,
	} {
		if _, err := db.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// pagesToVisit are the pages of a list of total rows the test reads, each
// twice, in a shuffled order: the first and last three, the one past the
// end and up to eight others.
func pagesToVisit(total int, rnd *rand.Rand) []int {
	last := (total + pageSize - 1) / pageSize
	var pages []int
	for p := 1; p <= last+1; p++ {
		if p <= 3 || p >= last-2 {
			pages = append(pages, p)
		}
	}
	for _, p := range rnd.Perm(max(last-6, 0))[:min(8, max(last-6, 0))] {
		pages = append(pages, p+4)
	}
	pages = append(pages, pages...)
	rnd.Shuffle(len(pages), func(i, j int) { pages[i], pages[j] = pages[j], pages[i] })
	return pages
}

// checkItemCounts checks each batch's item count, kept by triggers through
// the seed's batches, against counting its items.
func checkItemCounts(t *testing.T, db *store.DB) {
	t.Helper()
	var batches, wrong int
	err := db.QueryRowContext(context.Background(), `SELECT COUNT(*),
		COUNT(*) FILTER (WHERE item_count != (SELECT COUNT(*) FROM batch_items WHERE batch_id = batches.id)) FROM batches`).
		Scan(&batches, &wrong)
	if err != nil || batches == 0 || wrong != 0 {
		t.Errorf("batches' kept item counts: %d of %d wrong, %v", wrong, batches, err)
	}
}

// checkCounts checks the home page's counts, kept by triggers through the
// seed's registrations, bindings, reviews and batches, against counting
// the applications: the leader's and every commissioner's.
func checkCounts(t *testing.T, db *store.DB, leader account.User) {
	t.Helper()
	ctx := context.Background()
	users, err := store.Rows(ctx, db, func(rows *sql.Rows) (account.User, error) {
		var u account.User
		return u, rows.Scan(&u.ID, &u.Role)
	}, `SELECT id, role FROM users WHERE role = 'commissioner'`)
	if err != nil || len(users) == 0 {
		t.Fatalf("commissioners: %d, %v", len(users), err)
	}
	for _, u := range append(users, leader) {
		got, err := card.Counts(ctx, db, u)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{}
		for s := range got {
			want[s] = 0
		}
		scope := map[bool]int64{true: u.ID}[u.Role == account.RoleCommissioner]
		type stateCount struct {
			state string
			n     int
		}
		counted, err := store.Rows(ctx, db, func(rows *sql.Rows) (stateCount, error) {
			var c stateCount
			return c, rows.Scan(&c.state, &c.n)
		}, `SELECT a.state, COUNT(*) FROM card_applications a JOIN talents t ON t.user_id = a.talent_id
			WHERE ? = 0 OR t.commissioner_id = ? GROUP BY a.state`, scope, scope)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range counted {
			want[c.state] = c.n
		}
		if !maps.Equal(got, want) || want[card.StateSupplement] == 0 && u.Role == account.RoleLeader {
			t.Errorf("%s %d: counts %v, want %v", u.Role, u.ID, got, want)
		}
	}
}

// checkChangeCounts checks the change requests' counts by state, kept by
// triggers, against counting them, and the late requests the home page
// reminds of — for the leader and every commissioner, on the days when
// requests turn late and the day after — against the lists they link to
// (the state's requests changed up to the reminder's date).
func checkChangeCounts(t *testing.T, db *store.DB, leader account.User) {
	t.Helper()
	ctx := context.Background()
	got, err := change.CountsByState(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	want, err := store.From("change_requests").CountBy(ctx, db, "state")
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, want) {
		t.Errorf("change counts %v, want %v", got, want)
	}
	users, err := store.Rows(ctx, db, func(rows *sql.Rows) (account.User, error) {
		var u account.User
		return u, rows.Scan(&u.ID, &u.Role)
	}, `SELECT id, role FROM users WHERE role = 'commissioner'`)
	if err != nil {
		t.Fatal(err)
	}
	days, err := store.Rows(ctx, db, func(rows *sql.Rows) (string, error) {
		var d string
		return d, rows.Scan(&d)
	}, `SELECT DISTINCT change_date FROM change_requests WHERE state IN ('unit_review', 'approved', 'rejected') ORDER BY 1 DESC LIMIT 3`)
	if err != nil || len(days) == 0 {
		t.Fatalf("change dates: %v, %v", days, err)
	}
	for _, day := range days {
		changed, _ := time.ParseInLocation("2006-01-02", day, clock.China)
		for _, today := range []time.Time{changed.Add(change.LateAfter + 12*time.Hour), changed.Add(change.LateAfter + 36*time.Hour)} {
			for _, u := range append(users, leader) {
				reminders, err := change.LateReminders(ctx, db, u, today)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range reminders {
					state := map[string]string{change.RemindLateReview: change.StateUnitReview,
						change.RemindLateApproved: change.StateApproved, change.RemindLateRejected: change.StateRejected}[r.Key]
					want, err := change.Count(ctx, db, change.Filter{States: []string{state}, To: r.Date}.Scope(u))
					if err != nil {
						t.Fatal(err)
					}
					if r.Count != want {
						t.Errorf("%s %d on %s: %s %d, the list up to %s holds %d", u.Role, u.ID, today.Format(time.DateOnly), r.Key, r.Count, r.Date, want)
					}
				}
			}
		}
	}
}

// pageSize is the size of the pages the test reads.
const pageSize = 9

// checkPage compares page p of c with the plain query's rows; it returns
// the list's total.
func checkPage(t *testing.T, db *store.DB, c listCase, p int) int {
	t.Helper()
	got, total, err := c.page(p)
	if err != nil {
		t.Fatalf("%s, page %d: %v", c.name, p, err)
	}
	want, err := store.Rows(context.Background(), db, store.ScanInt64, c.plain+" LIMIT ? OFFSET ?",
		append(slices.Clone(c.args), pageSize, (p-1)*pageSize)...)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	var all int
	if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM ("+c.plain+")", c.args...).Scan(&all); err != nil {
		t.Fatal(err)
	}
	if total != all || !slices.Equal(got, want) {
		t.Fatalf("%s, page %d: %v of %d, want %v of %d", c.name, p, got, total, want, all)
	}
	return total
}

// ids are the ids of a page's rows.
func ids[T any](p store.Page[T], err error, id func(T) int64) ([]int64, int, error) {
	out := make([]int64, len(p.Items))
	for i, it := range p.Items {
		out[i] = id(it)
	}
	return out, p.Total, err
}

// sortCase is a sort key the API takes and the ORDER BY it stands for.
type sortCase struct{ key, order string }

// listCases are the lists, sorts and filters checked, each with its plain
// query: a name matched by instr on the name, a talent's 二级单位 and
// commissioner by a join.
func listCases(t *testing.T, db *store.DB, leader account.User, dept, commissioner int64) []listCase {
	ctx := context.Background()
	var out []listCase
	common := commonChar(t, db)
	type filter struct {
		name, where string
		args        []any
		search      string
		dept, comm  int64
	}
	filters := []filter{{name: "all", where: "1"},
		{name: "name " + common, where: "instr(lower(t.name), ?) > 0", args: []any{common}, search: common},
		{name: "name 欧阳", where: "instr(lower(t.name), ?) > 0", args: []any{"欧阳"}, search: "欧阳"},
		{name: "department", where: "t.department_id = ?", args: []any{dept}, dept: dept},
		{name: "commissioner", where: "t.commissioner_id = ?", args: []any{commissioner}, comm: commissioner}}
	// sorts are a list's sorts the test reads it in: all for the whole
	// list and for a name search (read along the list's copy of the name
	// index kept in each order), the default and one other for another
	// filter.
	sorts := func(f filter, all ...sortCase) []sortCase {
		if f.name == "all" || f.search != "" {
			return all
		}
		return all[:2]
	}
	for _, f := range filters {
		for _, s := range sorts(f, sortCase{"", "t.created_at DESC, t.user_id DESC"}, sortCase{"name", "t.name, t.user_id"},
			sortCase{"-name", "t.name DESC, t.user_id DESC"}, sortCase{"department", "t.department_id, t.created_at, t.user_id"},
			sortCase{"-created", "t.created_at DESC, t.user_id DESC"}, sortCase{"created", "t.created_at, t.user_id"}) {
			out = append(out, listCase{name: "talents " + f.name + " sort " + s.key,
				page: func(p int) ([]int64, int, error) {
					page, err := talent.List(ctx, db, talent.Filter{Name: f.search, DepartmentID: f.dept, CommissionerID: f.comm,
						Sort: s.key, Page: p, PageSize: pageSize})
					return ids(page, err, func(t talent.Talent) int64 { return t.ID })
				},
				plain: "SELECT t.user_id FROM talents t WHERE " + f.where + " ORDER BY " + s.order, args: f.args})
		}
		for _, s := range sorts(f, sortCase{"", "a.updated_at DESC, a.id DESC"}, sortCase{"updated", "a.updated_at, a.id"},
			sortCase{"state", "a.state, a.updated_at, a.id"}, sortCase{"-state", "a.state DESC, a.updated_at DESC, a.id DESC"}) {
			out = append(out, listCase{name: "applications " + f.name + " sort " + s.key,
				page: func(p int) ([]int64, int, error) {
					page, err := card.List(ctx, db, card.Filter{Name: f.search, DepartmentID: f.dept, CommissionerID: f.comm,
						Sort: s.key, Page: p, PageSize: pageSize}.Scope(leader))
					return ids(page, err, func(r card.Row) int64 { return r.ID })
				},
				plain: "SELECT a.id FROM card_applications a JOIN talents t ON t.user_id = a.talent_id WHERE " + f.where +
					" ORDER BY " + s.order, args: f.args})
		}
		if f.comm != 0 {
			continue
		}
		for _, s := range sorts(f, sortCase{"", "r.id DESC"}, sortCase{"change_date", "r.change_date, r.id"},
			sortCase{"-state", "r.state DESC, r.id DESC"}, sortCase{"created", "r.id"}) {
			out = append(out, listCase{name: "changes " + f.name + " sort " + s.key,
				page: func(p int) ([]int64, int, error) {
					page, err := change.List(ctx, db, change.Filter{Name: f.search, DepartmentID: f.dept,
						Sort: s.key, Page: p, PageSize: pageSize}.Scope(leader))
					return ids(page, err, func(r change.Row) int64 { return r.ID })
				},
				plain: "SELECT r.id FROM change_requests r JOIN talents t ON t.user_id = r.talent_id WHERE " + f.where +
					" ORDER BY " + s.order, args: f.args})
		}
	}
	for _, s := range []sortCase{{"", "at DESC, id DESC"}, {"at", "at, id"}} {
		out = append(out, listCase{name: "audit sort " + s.key,
			page: func(p int) ([]int64, int, error) {
				page, err := audit.List(ctx, db, audit.Filter{Sort: s.key, Page: p, PageSize: pageSize})
				return ids(store.Page[audit.Row](page), err, func(r audit.Row) int64 { return r.ID })
			},
			plain: "SELECT id FROM audit_log ORDER BY " + s.order})
	}
	return append(out, stateCases(db, leader)...)
}

// stateCases are lists filtered by a column of their own (a state, an
// action), which List follows across writes like the whole lists.
func stateCases(db *store.DB, leader account.User) []listCase {
	ctx := context.Background()
	return []listCase{{name: "applications 待单位审核",
		page: func(p int) ([]int64, int, error) {
			page, err := card.List(ctx, db, card.Filter{States: []string{card.StateUnitReview}, Page: p, PageSize: pageSize}.Scope(leader))
			return ids(page, err, func(r card.Row) int64 { return r.ID })
		},
		plain: "SELECT id FROM card_applications WHERE state = 'unit_review' ORDER BY updated_at DESC, id DESC"},
		{name: "changes 待单位审核 by change date",
			page: func(p int) ([]int64, int, error) {
				page, err := change.List(ctx, db, change.Filter{States: []string{change.StateUnitReview}, Sort: "change_date",
					Page: p, PageSize: pageSize}.Scope(leader))
				return ids(page, err, func(r change.Row) int64 { return r.ID })
			},
			plain: "SELECT id FROM change_requests WHERE state = 'unit_review' ORDER BY change_date, id"},
		{name: "audit 登录",
			page: func(p int) ([]int64, int, error) {
				page, err := audit.List(ctx, db, audit.Filter{Action: "登录", Page: p, PageSize: pageSize})
				return ids(store.Page[audit.Row](page), err, func(r audit.Row) int64 { return r.ID })
			},
			plain: "SELECT id FROM audit_log WHERE action = '登录' ORDER BY at DESC, id DESC"}}
}

// commonChar is the character most names hold.
func commonChar(t *testing.T, db *store.DB) string {
	t.Helper()
	var gram string
	err := db.QueryRowContext(context.Background(), `SELECT gram FROM talent_list_grams WHERE length(gram) = 1
		GROUP BY gram ORDER BY COUNT(*) DESC LIMIT 1`).Scan(&gram)
	if err != nil {
		t.Fatal(err)
	}
	return gram
}
