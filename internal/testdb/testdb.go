// Package testdb opens real, fully migrated SQLite databases in temporary
// folders for tests. No test mocks storage. Importing it also runs the
// tests on the day named by HUICAI_TEST_NOW, when set (see clocktest).
package testdb

import (
	"context"
	"sync"
	"testing"

	"huicai/internal/account"
	_ "huicai/internal/clock/clocktest" // HUICAI_TEST_NOW
	"huicai/internal/schema"
	"huicai/internal/store"
	"huicai/internal/vault"
)

// FastHash is a cheap argon2id cost so that tests do not spend seconds hashing.
var FastHash = account.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}

var useTestKey sync.Once

// Open returns a migrated database in a fresh temporary folder, closed when
// the test ends. Personal data is sealed with one random key per test run.
func Open(t testing.TB) *store.DB {
	t.Helper()
	return OpenIn(t, t.TempDir(), 0)
}

// OpenIn opens (creating it if needed) the database in dir, closed when the
// test ends, migrated up to schema version upTo, or fully when upTo is 0.
// A test of a migration fills the database as an older program left it,
// closes it and opens it again fully, as the next program would.
func OpenIn(t testing.TB, dir string, upTo int) *store.DB {
	t.Helper()
	useTestKey.Do(func() {
		key, _ := vault.NewKey()
		v, _ := vault.New(key)
		vault.Use(v)
	})
	migrations, err := schema.All()
	if err != nil {
		t.Fatal(err)
	}
	if upTo > 0 {
		migrations = migrations[:upTo]
	}
	db, err := store.Open(context.Background(), dir, migrations)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Policy is the default account policy with the cheap test hash.
func Policy() account.Policy {
	p := account.DefaultPolicy()
	p.Hash = FastHash
	return p
}
