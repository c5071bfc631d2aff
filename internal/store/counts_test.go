package store

import (
	"database/sql"
	"testing"
)

// TestCountsAreRememberedUntilTheNextWrite: a list's count is read once
// while nothing changes, and every way of writing makes it count again.
func TestCountsAreRememberedUntilTheNextWrite(t *testing.T) {
	db, err := Open(ctx, t.TempDir(), testMigrations())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func() int {
		t.Helper()
		n, err := From("things").Where("label IS NULL").Count(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	writes := []func() error{
		func() error { _, err := db.ExecContext(ctx, `INSERT INTO things(label) VALUES (NULL)`); return err },
		func() error { _, err := db.Exec(`INSERT INTO things(label) VALUES (NULL)`); return err },
		func() error {
			return db.Tx(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO things(label) VALUES (NULL)`)
				return err
			})
		},
		func() error {
			var id int
			return db.WriteRowContext(ctx, `INSERT INTO things(label) VALUES (NULL) RETURNING id`).Scan(&id)
		},
	}
	for i, write := range writes {
		if got := count(); got != i {
			t.Fatalf("before write %d: %d rows", i+1, got)
		}
		if err := write(); err != nil {
			t.Fatal(err)
		}
		if got := count(); got != i+1 {
			t.Errorf("after write %d: %d rows, want %d", i+1, got, i+1)
		}
	}
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO things(label) VALUES (NULL)`); err != nil {
			return err
		}
		n, err := From("things").Count(ctx, tx)
		if n != 5 {
			t.Errorf("inside the transaction: %d, want its own insert counted", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCountsByValueFollowWrites: grouped counts (the home page's by state)
// are remembered the same way and change with the data.
func TestCountsByValueFollowWrites(t *testing.T) {
	db, err := Open(ctx, t.TempDir(), testMigrations())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	byLabel := func() map[string]int {
		t.Helper()
		m, err := From("things").Where("label IS NOT NULL").CountBy(ctx, db, "label")
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	db.Exec(`INSERT INTO things(label) VALUES ('a'), ('a'), ('b')`)
	if m := byLabel(); m["a"] != 2 || m["b"] != 1 || len(m) != 2 {
		t.Fatalf("counts: %v", m)
	}
	db.Exec(`UPDATE things SET label = 'b' WHERE id = 1`)
	if m := byLabel(); m["a"] != 1 || m["b"] != 2 {
		t.Errorf("after a write: %v", m)
	}
}

// TestTouchKeepsRememberedCounts: a Touch leaves the remembered counts as
// they were. (Touching a table that a list counts, as here, leaves its
// count behind, which shows the memory was kept and is why Touch is only
// for tables no list reads.)
func TestTouchKeepsRememberedCounts(t *testing.T) {
	db, err := Open(ctx, t.TempDir(), testMigrations())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func() int {
		t.Helper()
		n, err := From("things").Count(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 0 {
		t.Fatalf("empty: %d", n)
	}
	if _, err := db.Touch(ctx, `INSERT INTO things(label) VALUES ('touched')`); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 0 {
		t.Errorf("after a touch: %d, want the remembered 0", n)
	}
	if _, err := db.Exec(`INSERT INTO things(label) VALUES ('written')`); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 2 {
		t.Errorf("after a write: %d, want 2", n)
	}
}
