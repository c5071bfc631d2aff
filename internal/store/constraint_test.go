package store

import (
	"errors"
	"fmt"
	"testing"
)

func TestConstraintErrorsAreKnownByTheirCodes(t *testing.T) {
	db, err := Open(ctx, t.TempDir(), []Migration{{Version: 1, Name: "t: keyed", Up: Exec(
		`CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`,
		`CREATE TABLE pairs (a INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b))`,
		`CREATE TABLE children (id INTEGER PRIMARY KEY, parent INTEGER NOT NULL REFERENCES parents(id))`,
	)}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string) error {
		_, err := db.Exec(q)
		return fmt.Errorf("wrapped: %w", err)
	}
	if _, err := db.Exec(`INSERT INTO parents(id, name) VALUES (1, 'a'); INSERT INTO pairs VALUES (1, 2); INSERT INTO children VALUES (1, 1)`); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name         string
		err          error
		unique, fkey bool
	}{
		{"a second name", exec(`INSERT INTO parents(name) VALUES ('a')`), true, false},
		{"a second primary key", exec(`INSERT INTO pairs VALUES (1, 2)`), true, false},
		{"a child of no parent", exec(`INSERT INTO children(parent) VALUES (9)`), false, true},
		{"a parent still referred to", exec(`DELETE FROM parents WHERE id = 1`), false, true},
		{"a NOT NULL", exec(`INSERT INTO parents(name) VALUES (NULL)`), false, false},
		{"no error", nil, false, false},
		{"another error", errors.New("UNIQUE constraint failed: FOREIGN KEY"), false, false},
	}
	for _, c := range cases {
		if IsUnique(c.err) != c.unique || IsForeignKey(c.err) != c.fkey {
			t.Errorf("%s (%v): unique %v, foreign key %v; want %v, %v", c.name, c.err, IsUnique(c.err), IsForeignKey(c.err), c.unique, c.fkey)
		}
	}
}
