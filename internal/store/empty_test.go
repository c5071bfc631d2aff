package store

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

func TestIsEmpty(t *testing.T) {
	cases := []struct {
		name    string
		prepare func(t *testing.T, dir string)
		empty   bool
	}{
		{"no database", func(*testing.T, string) {}, true},
		{"truncated to 0 bytes", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, FileName), nil, 0o600)
		}, true},
		{"no tables yet", func(t *testing.T, dir string) {
			db, err := sql.Open("sqlite", filepath.Join(dir, FileName))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`PRAGMA journal_mode = WAL`); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"migrated", func(t *testing.T, dir string) {
			db, err := Open(ctx, dir, testMigrations())
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
		}, false},
		{"migrated and still open (tables only in the log)", func(t *testing.T, dir string) {
			db, err := Open(ctx, dir, testMigrations())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
		}, false},
		{"not a database", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, FileName), []byte("hello"), 0o600)
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			c.prepare(t, dir)
			empty, err := IsEmpty(ctx, dir)
			if err != nil || empty != c.empty {
				t.Errorf("IsEmpty = %v, %v; want %v", empty, err, c.empty)
			}
		})
	}
}
