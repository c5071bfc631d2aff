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
		`CREATE TABLE owners (id INTEGER PRIMARY KEY, name TEXT NOT NULL, team TEXT NOT NULL)`,
		`CREATE TABLE items (id INTEGER PRIMARY KEY, state TEXT NOT NULL, owner INTEGER NOT NULL REFERENCES owners(id))`)}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Exec(`INSERT INTO owners(id, name, team) VALUES (0, '甲', 'x'), (1, '乙', 'y')`)
	for i := 1; i <= 25; i++ {
		db.Exec(`INSERT INTO items(id, state, owner) VALUES (?, ?, ?)`, i, []string{"a", "b", "c"}[i%3], i%2)
	}
	view := View[string]{Key: "i.id", Joins: "JOIN owners o ON o.id = i.owner", Columns: "i.id, o.name",
		Scan: func(rows *sql.Rows) (string, error) {
			var id int
			var name string
			err := rows.Scan(&id, &name)
			return fmt.Sprint(id, name), err
		}}
	list := func(states []string, team string, page, size int) string {
		q := From("items i").WhereIn("i.state", Args(states))
		if team != "" {
			q.Join("JOIN owners t ON t.id = i.owner").Where("t.team = ?", team).Join("JOIN owners t ON t.id = i.owner")
		}
		p, err := List(ctx, db, q, view, "i.id DESC", page, size)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(p.Total, p.Items)
	}
	cases := []struct {
		states []string
		team   string
		page   int
		size   int
		want   string
	}{
		{nil, "", 1, 0, "25 [25乙 24甲 23乙 22甲 21乙 20甲 19乙 18甲 17乙 16甲]"},
		{nil, "", 3, 10, "25 [5乙 4甲 3乙 2甲 1乙]"},
		{[]string{"a", "c"}, "", 1, 5, "16 [24甲 23乙 21乙 20甲 18甲]"},
		{[]string{"b"}, "y", 1, 100, "5 [25乙 19乙 13乙 7乙 1乙]"},
		{[]string{"x"}, "", 1, 10, "0 []"},
		{nil, "", 4, 10, "25 []"},
	}
	for _, c := range cases {
		if got := list(c.states, c.team, c.page, c.size); got != c.want {
			t.Errorf("states %v, team %q, page %d of %d: %s, want %s", c.states, c.team, c.page, c.size, got, c.want)
		}
	}
}
