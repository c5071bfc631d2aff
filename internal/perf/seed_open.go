package perf

import (
	"context"
	"fmt"
	"path/filepath"

	"huicai/internal/audit"
	"huicai/internal/schema"
	"huicai/internal/setup"
	"huicai/internal/store"
	"huicai/internal/vault"
)

// OpenData opens the installation in dataDir the way the program does
// (app.openData): it refuses a folder an earlier installation left, makes
// or loads the data key, migrates the database and checks the key against
// it. A fresh folder becomes a real installation that "huicai serve"
// opens.
func OpenData(ctx context.Context, dataDir string) (*store.DB, error) {
	migrations, err := schema.All()
	if err != nil {
		return nil, err
	}
	if err := store.EnsureWritableDir(dataDir); err != nil {
		return nil, err
	}
	if err := setup.CheckFresh(ctx, dataDir); err != nil {
		return nil, err
	}
	if err := vault.Load(ctx, dataDir, filepath.Join(dataDir, store.FileName)); err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, dataDir, migrations)
	if err != nil {
		return nil, err
	}
	if err := vault.Verify(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

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
