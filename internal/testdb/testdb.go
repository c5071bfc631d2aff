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
	useTestKey.Do(func() {
		key, _ := vault.NewKey()
		v, _ := vault.New(key)
		vault.Use(v)
	})
	migrations, err := schema.All()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), t.TempDir(), migrations)
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
