package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
)

// IsEmpty reports whether the data folder's database holds nothing yet: the
// file is missing, empty, or (with its write-ahead log) has not a single
// table. It only reads — though SQLite, as on any open, may leave its
// -wal and -shm side files — and a file that is not a database counts as
// not empty, so that opening it reports the problem.
func IsEmpty(ctx context.Context, dataDir string) (bool, error) {
	path := filepath.Join(dataDir, FileName)
	size, err := fileSize(path)
	if err != nil {
		return false, err
	}
	walSize, err := fileSize(path + "-wal")
	if err != nil {
		return false, err
	}
	if size == 0 && walSize == 0 {
		return true, nil
	}
	if checkHeader(path) != nil {
		return false, nil
	}
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?mode=ro")
	if err != nil {
		return false, err
	}
	defer db.Close()
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master`).Scan(&tables); err != nil {
		return false, nil
	}
	return tables == 0, nil
}

// fileSize is a file's size, 0 when it does not exist.
func fileSize(path string) (int64, error) {
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
