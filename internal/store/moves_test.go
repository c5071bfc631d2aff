package store

import (
	"fmt"
	"math/rand"
	"slices"
	"sync"
	"testing"
)

// openMovesDB is a list of items shown (shown = 1), in orders by a date
// and a state, whose moves are logged: 300 items, a tenth of them not
// shown.
func openMovesDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(ctx, t.TempDir(), []Migration{{Version: 1, Name: "t: items", Up: Exec(
		`CREATE TABLE items (id INTEGER PRIMARY KEY, at TEXT NOT NULL, state TEXT NOT NULL, grp INTEGER NOT NULL, shown INTEGER NOT NULL)`,
		`CREATE INDEX items_at ON items(at)`,
		`CREATE INDEX items_state ON items(state, at)`)},
		KeepMoves(2, Moves{Log: "items_moves", Table: "items", Columns: []string{"id", "at", "state"},
			In: func(row string) string { return row + ".shown = 1" }, Watch: []string{"shown"}})})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rnd := rand.New(rand.NewSource(7))
	for i := 1; i <= 300; i++ {
		exec(t, db, `INSERT INTO items(id, at, state, grp, shown) VALUES (?, ?, ?, ?, ?)`, i, randomDay(rnd), []string{"a", "b", "c"}[i%3], i%4, min(i%10, 1))
	}
	return db
}

func exec(t *testing.T, db *DB, query string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(ctx, query, args...); err != nil {
		t.Fatal(err)
	}
}

// randomDay is a day in November 2026.
func randomDay(rnd *rand.Rand) string { return fmt.Sprintf("2026-11-%02d", 1+rnd.Intn(29)) }

// shownItems is the list of items shown, its moves logged.
func shownItems() *Query {
	return From("items i").Where("i.shown = 1").Kept(Kept{Moves: "items_moves"})
}

// movesFilters narrow the list of shown items: by its own logged columns
// (followed across writes), by a column the log does not hold, and by a
// subquery (neither followed).
var movesFilters = map[string]func(q *Query) *Query{
	"all":      func(q *Query) *Query { return q },
	"state":    func(q *Query) *Query { return q.Where("i.state = ?", "a") },
	"states":   func(q *Query) *Query { return q.WhereIn("i.state", []any{"b", "c"}) },
	"from day": func(q *Query) *Query { return q.Where("i.at >= ?", "2026-11-10").Where("i.state <> 'c'") },
	"group":    func(q *Query) *Query { return q.Where("i.grp = ?", 1) },
	"subquery": func(q *Query) *Query { return q.Where("i.id IN (SELECT id FROM items WHERE grp = ?)", 2) },
}

// checkPages reads every page of the list under each filter in each
// order, in a random order of visits, and compares each with a plain
// OFFSET query.
func checkPages(t *testing.T, db *DB, rnd *rand.Rand, when string, pages int) {
	t.Helper()
	const size = 7
	for name, filter := range movesFilters {
		for _, order := range seekOrders {
			total, err := filter(From("items i").Where("i.shown = 1")).Count(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			visits := rnd.Perm(total/size + 2)
			if pages > 0 {
				visits = visits[:min(pages, len(visits))]
			}
			for _, p := range visits {
				got, err := List(ctx, db, filter(shownItems()), seekView, order, p+1, size)
				if err != nil {
					t.Fatal(err)
				}
				want := plainPage(t, db, filter(From("items i").Where("i.shown = 1")), order, p+1, size)
				if !slices.Equal(got.Items, want) || got.Total != total {
					t.Fatalf("%s: %s by %s, page %d: %v of %d, want %v of %d", when, name, order, p+1, got.Items, got.Total, want, total)
				}
			}
		}
	}
}

// keptRowsOf is how many rows db keeps of the shown items (under a filter
// of movesFilters) in order, and after which move.
func keptRowsOf(db *DB, filter, order string) (rows int, mark int64) {
	sk, _ := parseSortKey(order)
	list := listKey(movesFilters[filter](shownItems()), sk)
	db.anchors.mu.Lock()
	defer db.anchors.mu.Unlock()
	k := db.anchors.kept[list]
	return len(k.rows), k.mark
}

// TestKeptRowsFollowTheMoves: the rows remembered of a list whose moves
// are logged are kept across writes and moved by them — rows added, deleted, given another date or state, hidden and
// shown again — so that every page read after a write is still the plain
// query's, and the rows kept after reading three pages are more than
// theirs. A write that moves no row logs nothing.
func TestKeptRowsFollowTheMoves(t *testing.T) {
	db := openMovesDB(t)
	rnd := rand.New(rand.NewSource(13))
	checkPages(t, db, rnd, "first", 0)
	writes := []struct {
		name  string
		query string
		args  func() []any
	}{
		{"added", `INSERT INTO items(at, state, grp, shown) VALUES (?, ?, 1, ?)`,
			func() []any { return []any{randomDay(rnd), "b", rnd.Intn(2)} }},
		{"deleted", `DELETE FROM items WHERE id = (SELECT id FROM items ORDER BY random() LIMIT 1)`, nil},
		{"dated again", `UPDATE items SET at = ? WHERE id = ?`, func() []any { return []any{randomDay(rnd), 1 + rnd.Intn(300)} }},
		{"state changed", `UPDATE items SET state = ? WHERE id = ?`, func() []any { return []any{"c", 1 + rnd.Intn(300)} }},
		{"hidden", `UPDATE items SET shown = 0 WHERE id = ?`, func() []any { return []any{1 + rnd.Intn(300)} }},
		{"shown", `UPDATE items SET shown = 1 WHERE id = ?`, func() []any { return []any{1 + rnd.Intn(300)} }},
	}
	latest := func() (seq int64) {
		if err := db.QueryRow(latestMove("items_moves")).Scan(&seq); err != nil {
			t.Fatal(err)
		}
		return seq
	}
	for round := range 40 {
		w := writes[round%len(writes)]
		var args []any
		if w.args != nil {
			args = w.args()
		}
		was := latest()
		for range 1 + round%3 {
			exec(t, db, w.query, args...)
		}
		checkPages(t, db, rnd, fmt.Sprintf("round %d, %s", round, w.name), 3)
		for _, filter := range []string{"all", "state", "from day"} {
			if rows, mark := keptRowsOf(db, filter, seekOrders[0]); mark != latest() || rows <= 6 {
				t.Fatalf("round %d, %s: %s: %d rows kept after move %d (log at %d), no more than the 3 pages read",
					round, w.name, filter, rows, mark, latest())
			}
		}
		for _, filter := range []string{"group", "subquery"} {
			if rows, _ := keptRowsOf(db, filter, seekOrders[0]); rows > 6 && latest() > was {
				t.Fatalf("round %d, %s: %s: %d rows kept across writes", round, w.name, filter, rows)
			}
		}
	}
	was := latest()
	exec(t, db, `UPDATE items SET grp = grp + 1`)
	exec(t, db, `UPDATE items SET at = at, state = state`)
	if now := latest(); now != was {
		t.Errorf("writes that move no row logged %d moves", now-was)
	}
	checkPages(t, db, rnd, "after all", 0)
}

// TestTooManyMovesAreNotFollowed: rows remembered before more moves than
// are applied, or than the log keeps, are forgotten; the pages are still
// right and the log stays bounded.
func TestTooManyMovesAreNotFollowed(t *testing.T) {
	db := openMovesDB(t)
	rnd := rand.New(rand.NewSource(17))
	checkPages(t, db, rnd, "first", 0)
	for range maxRepair + 1 {
		exec(t, db, `INSERT INTO items(at, state, grp, shown) VALUES ('2026-11-15', 'a', 0, 1)`)
	}
	List(ctx, db, shownItems(), seekView, seekOrders[0], 20, 7)
	if rows, _ := keptRowsOf(db, "all", seekOrders[0]); rows != 2 {
		t.Errorf("%d rows kept after %d moves, want the 2 of the page read", rows, maxRepair+1)
	}
	checkPages(t, db, rnd, "after many moves", 0)
	exec(t, db, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
		INSERT INTO items(at, state, grp, shown) SELECT '2026-11-16', 'b', 0, 1 FROM n`)
	var logged int
	if err := db.QueryRow(`SELECT COUNT(*) FROM items_moves`).Scan(&logged); err != nil || logged != movesKept {
		t.Errorf("the log holds %d moves (%v), want %d", logged, err, movesKept)
	}
	checkPages(t, db, rnd, "after the log forgot", 0)
}

// TestKeptRowsUnderConcurrentWrites: readers paging through the list while
// writers move its rows may see a page of a moment just before or after a
// write, but keep no row at a wrong place: once the writes end, every page
// is the plain query's.
func TestKeptRowsUnderConcurrentWrites(t *testing.T) {
	db := openMovesDB(t)
	var wg sync.WaitGroup
	for r := range 4 {
		wg.Go(func() {
			rnd := rand.New(rand.NewSource(int64(r)))
			for range 300 {
				order := seekOrders[rnd.Intn(len(seekOrders))]
				if _, err := List(ctx, db, shownItems(), seekView, order, 1+rnd.Intn(45), 7); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		rnd := rand.New(rand.NewSource(99))
		for range 150 {
			if _, err := db.ExecContext(ctx, `UPDATE items SET at = ?, shown = ? WHERE id = ?`, randomDay(rnd), min(rnd.Intn(5), 1), 1+rnd.Intn(300)); err != nil {
				t.Error(err)
				return
			}
		}
	})
	wg.Wait()
	checkPages(t, db, rand.New(rand.NewSource(5)), "after the writes", 0)
}

// TestCompareValuesAsSQLite: values compare as SQLite orders them.
func TestCompareValuesAsSQLite(t *testing.T) {
	sorted := []any{nil, int64(-3), 1.5, int64(2), "", "A", "a", "王", []byte{0}}
	for i, x := range sorted {
		for j, y := range sorted {
			if got, want := compareValue(x, y), cmpInt(i, j); got != want {
				t.Errorf("compareValue(%v, %v) = %d, want %d", x, y, got, want)
			}
		}
	}
	if compareValues([]any{"a", int64(2)}, []any{"a", int64(10)}) >= 0 {
		t.Error("rows equal in their first column are ordered by their second")
	}
}

func cmpInt(i, j int) int {
	switch {
	case i < j:
		return -1
	case i > j:
		return 1
	}
	return 0
}

// TestPlainConditions: a condition on the list's own columns is plain, and
// names the columns it reads; one with a subquery, a function or another
// table's column is not.
func TestPlainConditions(t *testing.T) {
	for cond, want := range map[string]bool{
		"a.state IN (?, ?)": true, "a.updated_at >= ?": true, "a.state <> 'x''y'": true, "a.n BETWEEN 1 AND ?": true,
		"a.id IN (SELECT id FROM t)": false, "lower(a.name) = ?": false, "t.department_id = ?": false,
		"state = ?": false, "a.x = ? OR EXISTS (SELECT 1)": false, "a.x = ?; DROP TABLE t": false,
	} {
		if _, got := plainCondition(cond, "a"); got != want {
			t.Errorf("plainCondition(%q, a) = %v, want %v", cond, got, want)
		}
	}
	for cond, want := range map[string]bool{"action = ?": true, "at < ?": true, "x IN (SELECT 1)": false, "a.x = ?": false} {
		if _, got := plainCondition(cond, ""); got != want {
			t.Errorf("plainCondition(%q) = %v, want %v", cond, got, want)
		}
	}
	if read, _ := plainCondition("a.state IN (?, ?) AND (a.at >= ? OR a.at IS NULL)", "a"); !slices.Equal(read, []string{"state", "at", "at"}) {
		t.Errorf("the columns read: %v", read)
	}
}
