package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

var ctx = context.Background()

func testMigrations() []Migration {
	return []Migration{
		{Version: 1, Name: "t: things", Up: Exec(`CREATE TABLE things (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES things(id))`)},
		{Version: 2, Name: "t: more", Up: Exec(`ALTER TABLE things ADD COLUMN label TEXT`)},
	}
}

func TestOpenSetsPragmasAndMigratesOnce(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(ctx, dir, testMigrations())
	if err != nil {
		t.Fatal(err)
	}
	pragmas := map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "10000"}
	for name, want := range pragmas {
		var got string
		if err := db.QueryRow("PRAGMA " + name).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", name, got, want)
		}
	}
	if _, err := db.Exec(`INSERT INTO things(id, parent) VALUES (1, 99)`); err == nil {
		t.Error("foreign key violation was accepted")
	}
	db.Close()

	db, err = Open(ctx, dir, testMigrations())
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
	if n != 2 {
		t.Errorf("schema_migrations has %d rows, want 2", n)
	}
	if v, _ := SchemaVersion(ctx, db); v != 2 {
		t.Errorf("schema version %d, want 2", v)
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	dir := t.TempDir()
	bad := append(testMigrations()[:1], Migration{Version: 2, Name: "t: broken", Up: Exec(
		`CREATE TABLE half (id INTEGER)`, `THIS IS NOT SQL`)})
	if _, err := Open(ctx, dir, bad); err == nil {
		t.Fatal("broken migration succeeded")
	}
	db, err := Open(ctx, dir, testMigrations()[:1])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'`).Scan(&n)
	if n != 0 {
		t.Error("table from the failed migration survived")
	}
	if v, _ := SchemaVersion(ctx, db); v != 1 {
		t.Errorf("schema version %d after failed migration, want 1", v)
	}
}

func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewerSchemaIsRefusedAndUntouched(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(ctx, dir, testMigrations())
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	path := filepath.Join(dir, FileName)
	before := fileBytes(t, path)
	_, err = Open(ctx, dir, testMigrations()[:1])
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("want ErrNewerSchema, got %v", err)
	}
	if !bytes.Equal(before, fileBytes(t, path)) {
		t.Error("database file changed")
	}
}

func TestNotADatabaseIsRefusedAndUntouched(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	junk := []byte("this is a spreadsheet, not a database\n")
	os.WriteFile(path, junk, 0o600)
	_, err := Open(ctx, dir, testMigrations())
	if !errors.Is(err, ErrNotDatabase) {
		t.Fatalf("want ErrNotDatabase, got %v", err)
	}
	if !bytes.Equal(junk, fileBytes(t, path)) {
		t.Error("file changed")
	}
}

func TestUnwritableDataFolder(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(parent, []byte("x"), 0o600)
	_, err := Open(ctx, filepath.Join(parent, "data"), testMigrations())
	if !errors.Is(err, ErrNotWritable) {
		t.Fatalf("want ErrNotWritable, got %v", err)
	}
}

func TestCollectChecksVersions(t *testing.T) {
	m := func(v int) Migration { return Migration{Version: v, Name: "m", Up: Exec()} }
	if all, err := Collect([]Migration{m(2)}, []Migration{m(1), m(3)}); err != nil || all[0].Version != 1 || all[2].Version != 3 {
		t.Errorf("valid lists: %v %v", all, err)
	}
	if _, err := Collect([]Migration{m(1), m(3)}); err == nil {
		t.Error("gap accepted")
	}
	if _, err := Collect([]Migration{m(1)}, []Migration{m(1)}); err == nil {
		t.Error("duplicate accepted")
	}
}

func TestTxRollsBackOnError(t *testing.T) {
	db, err := Open(ctx, t.TempDir(), testMigrations())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	boom := errors.New("boom")
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		tx.Exec(`INSERT INTO things(id) VALUES (1)`)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("want boom, got %v", err)
	}
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM things`).Scan(&n)
	if n != 0 {
		t.Error("rolled-back insert is visible")
	}
}

func TestDatabaseFilesAreReadableByTheOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	check := func(when string) {
		t.Helper()
		for _, name := range []string{FileName, FileName + "-wal", FileName + "-shm"} {
			info, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				t.Fatalf("%s: %v", when, err)
			}
			if perm := info.Mode().Perm(); perm != 0o600 {
				t.Errorf("%s: %s is %o, want 600", when, name, perm)
			}
		}
	}
	db, err := Open(ctx, dir, testMigrations())
	if err != nil {
		t.Fatal(err)
	}
	db.Exec(`INSERT INTO things(id) VALUES (1)`)
	check("new database")
	db.Close()
	for _, name := range []string{FileName, FileName + "-wal", FileName + "-shm"} {
		os.Chmod(filepath.Join(dir, name), 0o644) // as an older version left them
	}
	if db, err = Open(ctx, dir, testMigrations()); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Exec(`INSERT INTO things(id) VALUES (2)`)
	check("reopened database")
}

func TestOnCommitRunsAfterCommitsOnly(t *testing.T) {
	db, err := Open(ctx, t.TempDir(), testMigrations())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var seen []int
	db.OnCommit(func(context.Context) {
		var n int
		db.QueryRow(`SELECT COUNT(*) FROM things`).Scan(&n)
		seen = append(seen, n)
	})
	db.Tx(ctx, func(tx *sql.Tx) error { _, err := tx.Exec(`INSERT INTO things(id) VALUES (1)`); return err })
	db.Tx(ctx, func(tx *sql.Tx) error { tx.Exec(`INSERT INTO things(id) VALUES (2)`); return errors.New("no") })
	if len(seen) != 1 || seen[0] != 1 {
		t.Fatalf("after-commit calls saw %v, want one call after the committed row", seen)
	}
}
