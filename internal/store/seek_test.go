package store

import (
	"database/sql"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// openSeekDB is a database of 203 items whose sort columns repeat (so that
// the tie decides), with an index for each order the test lists by.
func openSeekDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(ctx, t.TempDir(), []Migration{{Version: 1, Name: "t: items", Up: Exec(
		`CREATE TABLE items (id INTEGER PRIMARY KEY, at TEXT NOT NULL, state TEXT NOT NULL, grp INTEGER NOT NULL)`,
		`CREATE INDEX items_at ON items(at)`,
		`CREATE INDEX items_state ON items(state, at)`)}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for i := 1; i <= 203; i++ {
		_, err := db.Exec(`INSERT INTO items(id, at, state, grp) VALUES (?, ?, ?, ?)`,
			i, fmt.Sprintf("2026-11-%02d", 1+(i*7919)%29), []string{"a", "b", "c"}[i%3], i%4)
		if err != nil {
			t.Fatal(err)
		}
	}
	return db
}

var seekOrders = []string{"i.at DESC, i.id DESC", "i.at ASC, i.id ASC", "i.state, i.at, i.id",
	"i.state DESC, i.at DESC, i.id DESC", "i.id DESC", "i.id"}

// seekFilters build the lists' queries: the whole list and filtered ones.
var seekFilters = map[string]func() *Query{
	"all":     func() *Query { return From("items i") },
	"group":   func() *Query { return From("items i").Where("i.grp = ?", 1) },
	"states":  func() *Query { return From("items i").WhereIn("i.state", []any{"a", "c"}) },
	"nothing": func() *Query { return From("items i").Where("i.grp = ?", 9) },
}

var seekView = View[int64]{Key: "i.id", Columns: "i.id", Scan: ScanInt64}

// plainPage is a page as a straightforward OFFSET query reads it.
func plainPage(t *testing.T, db *DB, q *Query, order string, page, size int) []int64 {
	t.Helper()
	limit, offset := Paging(page, size)
	rows, err := q.Select(ctx, db.DB, "i.id", "ORDER BY "+order+" LIMIT ? OFFSET ?", limit, offset)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := collect(rows, ScanInt64)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestListPagesAreThoseOfOffset: whatever the walk List takes to a page
// (from either end or from rows remembered in any order of visits), the
// page holds the rows a plain OFFSET query gives, for every order,
// direction, filter and page, before and after a write.
func TestListPagesAreThoseOfOffset(t *testing.T) {
	db := openSeekDB(t)
	rnd := rand.New(rand.NewSource(13))
	const size = 7
	check := func(round string) {
		for name, filter := range seekFilters {
			for _, order := range seekOrders {
				total, _ := filter().Count(ctx, db)
				pages := rnd.Perm(total/size + 3) // and two pages past the end
				for _, p := range append(pages, pages...) {
					got, err := List(ctx, db, filter(), seekView, order, p+1, size)
					if err != nil {
						t.Fatal(err)
					}
					want := plainPage(t, db, filter(), order, p+1, size)
					if !slices.Equal(got.Items, want) {
						t.Fatalf("%s: %s by %s, page %d: %v, want %v", round, name, order, p+1, got.Items, want)
					}
				}
			}
		}
	}
	check("first")
	if _, err := db.Exec(`INSERT INTO items(id, at, state, grp) VALUES (1000, '2026-11-15', 'a', 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM items WHERE id IN (5, 100, 199)`); err != nil {
		t.Fatal(err)
	}
	check("after writes")
}

// TestPlanWalkTakesTheShortestWalk: the walk starts from the nearer end or
// from the nearest remembered row before or after the page.
func TestPlanWalkTakesTheShortestWalk(t *testing.T) {
	anchors := []anchor{{at: 400}, {at: 609}}
	for _, c := range []struct {
		at, n, total int
		from         int // the anchor's place, -1 for an end
		backwards    bool
		skip         int
	}{
		{at: 0, n: 10, total: 1000, from: -1, skip: 0},
		{at: 990, n: 10, total: 1000, from: -1, backwards: true, skip: 0},
		{at: 995, n: 5, total: 1000, from: -1, backwards: true, skip: 0},
		{at: 900, n: 10, total: 1000, from: -1, backwards: true, skip: 90},
		{at: 400, n: 10, total: 1000, from: 400, skip: 0},
		{at: 410, n: 10, total: 1000, from: 400, skip: 10},
		{at: 590, n: 10, total: 1000, from: 609, backwards: true, skip: 9},
		{at: 100, n: 10, total: 1000, from: -1, skip: 100},
	} {
		w := planWalk(c.at, c.n, c.total, anchors)
		from := -1
		if w.from != nil {
			from = w.from.at
		}
		if from != c.from || w.backwards != c.backwards || w.skip != c.skip {
			t.Errorf("planWalk(%d, %d, %d) = from %d, backwards %v, skip %d; want from %d, backwards %v, skip %d",
				c.at, c.n, c.total, from, w.backwards, w.skip, c.from, c.backwards, c.skip)
		}
	}
}

// TestSeeksUseTheIndex: a walk from a remembered row searches the order's
// index from that row, forwards and backwards, without sorting.
func TestSeeksUseTheIndex(t *testing.T) {
	db := openSeekDB(t)
	for _, order := range seekOrders {
		sk, ok := parseSortKey(order)
		if !ok {
			t.Fatalf("%s: cannot seek", order)
		}
		for _, backwards := range []bool{false, true} {
			args := make([]any, len(sk.columns))
			for i := range args {
				args[i] = "x"
			}
			q := From("items i").Where(sk.from(backwards), args...)
			plan := explain(t, db.DB, "SELECT i.id"+q.clause()+" ORDER BY "+sk.order(backwards)+" LIMIT 10 OFFSET 3", args)
			if strings.Contains(plan, "TEMP B-TREE") || !strings.Contains(plan, "SEARCH") {
				t.Errorf("%s, backwards %v: %s", order, backwards, plan)
			}
		}
	}
}

func explain(t *testing.T, db *sql.DB, query string, args []any) string {
	t.Helper()
	rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "; ")
}

// TestParseSortKey: plain columns in one direction can be sought in.
func TestParseSortKey(t *testing.T) {
	for order, want := range map[string]bool{"a.updated_at DESC, a.id DESC": true, "at, id": true, "r.id DESC": true,
		"a.state ASC, a.id DESC": false, "lower(t.name), t.user_id": false, "": false} {
		if _, ok := parseSortKey(order); ok != want {
			t.Errorf("parseSortKey(%q): %v, want %v", order, ok, want)
		}
	}
}
