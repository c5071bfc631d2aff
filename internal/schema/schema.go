// Package schema lists every area's migrations in version order: the whole
// database schema this binary knows.
package schema

import (
	"huicai/internal/account"
	"huicai/internal/audit"
	"huicai/internal/batch"
	"huicai/internal/card"
	"huicai/internal/change"
	"huicai/internal/files"
	"huicai/internal/sign"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/unit"
	"huicai/internal/vault"
)

// All returns the ordered migrations of every area.
func All() ([]store.Migration, error) {
	return store.Collect(unit.Migrations(), account.Migrations(), audit.Migrations(), talent.Migrations(),
		files.Migrations(), card.Migrations(), sign.Migrations(), batch.Migrations(),
		change.Migrations(), vault.Migrations())
}

// Version is the schema version this binary writes.
func Version() int {
	m, err := All()
	if err != nil {
		panic(err)
	}
	return len(m)
}
