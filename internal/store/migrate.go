package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
)

// Migration is one step of the schema. Versions are global across areas,
// start at 1 and have no gaps; each runs in its own transaction.
type Migration struct {
	Version int
	Name    string
	Up      func(ctx context.Context, tx *sql.Tx) error
}

// Exec returns a migration step that runs the given statements in order.
func Exec(statements ...string) func(ctx context.Context, tx *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		for _, s := range statements {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return err
			}
		}
		return nil
	}
}

// Collect merges the migrations of several areas into one ordered list and
// checks that the versions run 1, 2, 3… without gaps or duplicates.
func Collect(lists ...[]Migration) ([]Migration, error) {
	var all []Migration
	for _, l := range lists {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Version < all[j].Version })
	for i, m := range all {
		if m.Version != i+1 {
			return nil, fmt.Errorf("store: migration versions must run 1..%d without gaps; found %d (%s) at position %d", len(all), m.Version, m.Name, i+1)
		}
	}
	return all, nil
}

// SchemaVersion returns the highest migration version applied to db.
func SchemaVersion(ctx context.Context, db Querier) (int, error) {
	var v sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return int(v.Int64), nil
}

func migrate(ctx context.Context, db *DB, migrations []Migration) error {
	_, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`)
	if err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	current, err := SchemaVersion(ctx, db)
	if err != nil {
		return err
	}
	if current > len(migrations) {
		return fmt.Errorf("store: %s has schema version %d, this program knows up to %d: %w", db.Path, current, len(migrations), ErrNewerSchema)
	}
	for _, m := range migrations[current:] {
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			if err := m.Up(ctx, tx); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, Now())
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migration %d (%s): %w", m.Version, m.Name, err)
		}
	}
	return nil
}
