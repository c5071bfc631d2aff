package talent_test

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/testdb"
)

// TestListNamesFollowTheirList keeps copies of the name index for two
// lists of another area's rows (one with sort keys of its own, one in id
// order), some rows there before the copy is made, then rows added,
// reordered and deleted and talents renamed: at every step a search along
// a copy finds, in each of the list's orders both ways, the rows whose
// talent's name holds the part searched for, each once.
func TestListNamesFollowTheirList(t *testing.T) {
	db, leader, dept := fixture(t)
	var talents []int64
	for i, name := range []string{"王堃", "王喆", "李赟镕", "张珺", "John Smith", "王"} {
		r := testdb.Registration(fmt.Sprintf("user%d", i), i+1, dept)
		r.Name = name
		tal, err := talent.Register(ctx, db, r, testdb.FastHash, "", noHook)
		if err != nil {
			t.Fatal(err)
		}
		talents = append(talents, tal.ID)
	}
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := db.Exec(query, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`CREATE TABLE things (id INTEGER PRIMARY KEY, talent_id INTEGER NOT NULL, at TEXT NOT NULL, kind INTEGER)`)
	exec(`CREATE TABLE marks (id INTEGER PRIMARY KEY, talent_id INTEGER NOT NULL)`)
	add := func(n int) {
		for i := range n {
			id := talents[i%len(talents)]
			exec(`INSERT INTO things(talent_id, at, kind) VALUES (?, ?, ?)`, id, fmt.Sprintf("2026-03-%02d", 28-i%3), i%4*5)
			exec(`INSERT INTO marks(talent_id) VALUES (?)`, id)
		}
	}
	add(9)
	lists := []talent.ListNames{{Table: "thing_grams", As: "g2", List: "things", ListAs: "x",
		Order: store.Order{Default: "x.at DESC, x.id DESC", Tie: "x.id", Keys: map[string]string{"at": "x.at", "kind": "x.kind, x.at"}}},
		{Table: "mark_grams", As: "g2", List: "marks", ListAs: "x",
			Order: store.Order{Default: "x.id DESC", Tie: "x.id", Keys: map[string]string{"created": "x.id"}}}}
	for _, l := range lists {
		if err := db.Tx(ctx, func(tx *sql.Tx) error { return l.Migration(0, "").Up(ctx, tx) }); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string) {
		t.Helper()
		for _, l := range lists {
			orders := []string{l.Order.Default}
			for _, key := range l.Order.Allowed() {
				for _, sort := range []string{key, "-" + key} {
					order, err := l.Order.By(sort)
					if err != nil {
						t.Fatal(err)
					}
					orders = append(orders, order)
				}
			}
			for _, part := range []string{"王", "王堃", "赟镕", "李赟镕", "smith", "JOHN S", "john x", " 珺 ", "王珺", "王堃镕", "%", "喆"} {
				for _, order := range orders {
					q, indexOrder, err := l.Search(part, order)
					if err != nil || q == nil {
						t.Fatalf("%q in the order %s: no search (%v)", part, order, err)
					}
					got := ids(t, db, q, "x.id", "ORDER BY "+indexOrder)
					want := ids(t, db, store.From(l.List+" x").Join("JOIN talents t ON t.user_id = x.talent_id").
						Where("instr(lower(t.name), lower(?)) > 0", strings.TrimSpace(part)), "x.id", "ORDER BY "+order)
					if !slices.Equal(got, want) {
						t.Errorf("%s: %s, %q, in the order %s: %v, want %v", when, l.List, part, order, got, want)
					}
				}
			}
		}
	}
	check("made")
	add(7)
	exec(`UPDATE things SET at = '2026-04-01' WHERE id % 4 = 0`)
	exec(`UPDATE things SET kind = 7 WHERE id % 3 = 0`)
	exec(`UPDATE things SET kind = NULL, at = '2026-02-01' WHERE id = 2`)
	exec(`DELETE FROM things WHERE id % 5 = 0`)
	exec(`DELETE FROM marks WHERE id % 5 = 0`)
	for _, list := range []string{"things", "marks"} { // the next row takes the last one's id
		exec(`DELETE FROM ` + list + ` WHERE id = (SELECT MAX(id) FROM ` + list + `)`)
	}
	exec(`INSERT INTO things(talent_id, at, kind) VALUES (?, '2026-03-30', 5)`, talents[2])
	exec(`INSERT INTO marks(talent_id) VALUES (?)`, talents[2])
	check("added, reordered and deleted")
	for i, name := range map[int]string{0: "张喆", 3: "王珺"} {
		tal, err := talent.ByID(ctx, db, talents[i])
		if err != nil {
			t.Fatal(err)
		}
		tal.Name = name
		if _, err := talent.UpdateProfile(ctx, db, leader, tal.ID, talent.ProfileEdit{Profile: tal.Profile, Version: tal.Version}, "", noHook); err != nil {
			t.Fatal(err)
		}
	}
	check("renamed")
	if q, _, err := lists[0].Search("  ", lists[0].Order.Default); q != nil || err != nil {
		t.Errorf("a blank search searched (%v)", err)
	}
	for _, order := range []string{"x.kind DESC, x.id DESC", "x.at DESC, x.id ASC", "x.at DESC", "x.id DESC, x.at DESC", "y.at, y.id"} {
		if q, _, err := lists[0].Search("王", order); q != nil || err == nil {
			t.Errorf("searched in the order %s, which the copy is not kept in", order)
		}
	}
}

// TestListNamesOfAnotherTablesOrder: a copy declared with an order that is
// not of its list's own columns in one direction, tied by its id, is
// refused when it is made.
func TestListNamesOfAnotherTablesOrder(t *testing.T) {
	db, _, _ := fixture(t)
	if _, err := db.Exec(`CREATE TABLE odds (id INTEGER PRIMARY KEY, talent_id INTEGER NOT NULL, at TEXT)`); err != nil {
		t.Fatal(err)
	}
	for order, good := range map[*store.Order]bool{
		{Default: "x.at DESC, x.id DESC", Tie: "x.id", Keys: map[string]string{"at": "x.at"}}: true,
		{Default: "t.created_at DESC, x.id DESC", Tie: "x.id"}:                                false,
		{Default: "x.at DESC, x.id ASC", Tie: "x.id"}:                                         false,
		{Default: "x.id DESC", Tie: "x.talent_id", Keys: map[string]string{"at": "x.at"}}:     false,
		{Default: "x.id DESC", Tie: "x.id", Keys: map[string]string{"at": "lower(x.at)"}}:     false,
	} {
		names := talent.ListNames{Table: "odd_grams", As: "g2", List: "odds", ListAs: "x", Order: *order}
		err := db.Tx(ctx, func(tx *sql.Tx) error { return names.Migration(0, "").Up(ctx, tx) })
		if good && err != nil || !good && (err == nil || !strings.Contains(err.Error(), "is not of odds's own columns")) {
			t.Errorf("%+v: %v", *order, err)
		}
	}
}

// ids runs q and reads its rows' first column.
func ids(t *testing.T, db *store.DB, q *store.Query, column, tail string) []int64 {
	t.Helper()
	rows, err := q.Select(ctx, db, column, tail)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
