package perf

import (
	"context"
	"fmt"

	"huicai/internal/audit"
	"huicai/internal/store"
)

// fastWrites turns off waiting for the disk on every commit, for seeding
// only: a crash while seeding loses a seeded folder, nothing else. The
// setting lives on the connection, which store.Open keeps open.
func fastWrites(ctx context.Context, db *store.DB) error {
	if _, err := db.ExecContext(ctx, `PRAGMA synchronous = OFF`); err != nil {
		return fmt.Errorf("perf: synchronous off: %w", err)
	}
	return nil
}

// finish checks the whole audit chain, which anchors its head and writes
// the checkpoint beside the database as the program's own full check does,
// and folds the write-ahead log into the database before it is closed.
func finish(ctx context.Context, db *store.DB, dataDir string) (int, error) {
	n, err := audit.CheckFull(ctx, db, dataDir)
	if err != nil {
		return n, fmt.Errorf("perf: audit check: %w", err)
	}
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return n, fmt.Errorf("perf: checkpoint: %w", err)
	}
	return n, nil
}
