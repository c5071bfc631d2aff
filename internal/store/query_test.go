package store

import (
	"database/sql"
	"fmt"
	"testing"
)

func TestPlaceholders(t *testing.T) {
	for n, want := range map[int]string{0: "", 1: "?", 3: "?, ?, ?"} {
		if got := Placeholders(n); got != want {
			t.Errorf("Placeholders(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPaging(t *testing.T) {
	cases := []struct{ page, size, limit, offset int }{{0, 0, 10, 0}, {1, 20, 20, 0}, {3, 20, 20, 40}, {-1, 101, 100, 0}, {2, 100, 100, 100}, {2, 5000, 100, 100}}
	for _, c := range cases {
		if l, o := Paging(c.page, c.size); l != c.limit || o != c.offset {
			t.Errorf("Paging(%d, %d) = %d, %d; want %d, %d", c.page, c.size, l, o, c.limit, c.offset)
		}
	}
}

func TestListFiltersCountsAndPages(t *testing.T) {
	db, err := Open(ctx, t.TempDir(), []Migration{{Version: 1, Name: "t: items", Up: Exec(
		`CREATE TABLE items (id INTEGER PRIMARY KEY, state TEXT NOT NULL, owner INTEGER NOT NULL)`)}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := 1; i <= 25; i++ {
		db.Exec(`INSERT INTO items(id, state, owner) VALUES (?, ?, ?)`, i, []string{"a", "b", "c"}[i%3], i%2)
	}
	scan := func(rows *sql.Rows) (int, error) {
		var id int
		return id, rows.Scan(&id)
	}
	list := func(states []string, owner int64, page, size int) string {
		q := From("items").WhereIn("state", Args(states)).WhereID("owner", owner)
		p, err := List(ctx, db, q, "id", "id DESC", page, size, scan)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(p.Total, p.Items)
	}
	cases := []struct {
		states []string
		owner  int64
		page   int
		size   int
		want   string
	}{
		{nil, 0, 1, 0, "25 [25 24 23 22 21 20 19 18 17 16]"},
		{nil, 0, 3, 10, "25 [5 4 3 2 1]"},
		{[]string{"a", "c"}, 0, 1, 5, "16 [24 23 21 20 18]"},
		{[]string{"b"}, 1, 1, 100, "5 [25 19 13 7 1]"},
		{[]string{"x"}, 0, 1, 10, "0 []"},
	}
	for _, c := range cases {
		if got := list(c.states, c.owner, c.page, c.size); got != c.want {
			t.Errorf("states %v, owner %d, page %d of %d: %s, want %s", c.states, c.owner, c.page, c.size, got, c.want)
		}
	}
}
