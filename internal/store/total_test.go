package store

import "testing"

// TestKeptTotals keeps the number of a table's rows, some there before it
// is kept, through rows added and deleted: a query of the whole table
// reads it as its count, a query given a condition or a join after it
// counts its rows; a total given after a condition is read for it.
func TestKeptTotals(t *testing.T) {
	db, err := Open(ctx, t.TempDir(), []Migration{{Version: 1, Name: "t: items", Up: Exec(
		`CREATE TABLE items (id INTEGER PRIMARY KEY, state TEXT NOT NULL)`,
		`INSERT INTO items(state) VALUES ('a'), ('b'), ('a')`)}, KeepTotal(2, "items")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(query string) {
		t.Helper()
		if _, err := db.Exec(query); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string, all, ofA int) {
		t.Helper()
		for q, want := range map[*Query]int{From("items i").Kept(Kept{Total: TotalOf("items")}): all,
			From("items i").Kept(Kept{Total: TotalOf("items")}).Where("i.state = 'a'"):                  ofA,
			From("items i").Kept(Kept{Total: TotalOf("items")}).Join("JOIN items j ON j.id = i.id + 1"): all - 1} {
			if got, err := q.Count(ctx, db); err != nil || got != want {
				t.Errorf("%s: %q counts %d (%v), want %d", when, q.clause(), got, err, want)
			}
		}
	}
	check("rows before", 3, 2)
	exec(`INSERT INTO items(state) VALUES ('b'), ('a')`)
	check("rows added", 5, 3)
	exec(`DELETE FROM items WHERE id IN (1, 5)`)
	check("rows deleted", 3, 1)
	exec(`UPDATE items_total SET n = 99`)
	if got, err := From("items i").Kept(Kept{Total: TotalOf("items")}).Count(ctx, db); got != 99 {
		t.Errorf("the whole table counted %d (%v), not read as kept", got, err)
	}
	ofA := From("items i").Where("i.state = 'a'").Kept(Kept{Total: "SELECT 42"})
	if got, err := ofA.Count(ctx, db); got != 42 {
		t.Errorf("the rows of a state counted %d (%v), not read as kept", got, err)
	}
	if got, err := ofA.Where("i.id > 2").Count(ctx, db); got != 1 {
		t.Errorf("the rows of a state after 2 counted %d (%v), want 1", got, err)
	}
}
