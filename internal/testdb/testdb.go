// Package testdb opens real, fully migrated SQLite databases in temporary
// folders for tests. No test mocks storage.
package testdb

import (
	"context"
	"testing"

	"huicai/internal/account"
	"huicai/internal/schema"
	"huicai/internal/store"
)

// FastHash is a cheap argon2id cost so that tests do not spend seconds hashing.
var FastHash = account.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}

// Open returns a migrated database in a fresh temporary folder, closed when
// the test ends.
func Open(t testing.TB) *store.DB {
	t.Helper()
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
