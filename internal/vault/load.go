package vault

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// ErrKeyMissing means the database holds sealed data but the data folder
// has no key file: the key must be restored from its recovery copy, never
// replaced by a new one.
var ErrKeyMissing = errors.New("vault: the database is encrypted but its data key file is missing")

// Load makes the data folder's key the active one before the database is
// opened. With no key file it creates one — unless the database at dbPath
// already holds data sealed with a key, in which case it refuses.
func Load(ctx context.Context, dataDir, dbPath string) error {
	key, err := LoadKey(dataDir)
	if errors.Is(err, ErrNoKeyFile) {
		sealed, perr := hasSealedData(ctx, dbPath)
		if perr != nil {
			return perr
		}
		if sealed {
			return ErrKeyMissing
		}
		if key, err = NewKey(); err != nil {
			return err
		}
		if err := SaveKey(dataDir, key); err != nil {
			return fmt.Errorf("vault: save key: %w", err)
		}
	} else if err != nil {
		return err
	}
	v, err := New(key)
	if err != nil {
		return err
	}
	Use(v)
	return nil
}

// hasSealedData reports whether a database file records a data key,
// reading it without changing it.
func hasSealedData(ctx context.Context, dbPath string) (bool, error) {
	if _, err := os.Stat(dbPath); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro")
	if err != nil {
		return false, err
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'vault_meta'`).Scan(&n)
	if err != nil {
		return false, nil // not a database: opening it reports that clearly
	}
	return n > 0, nil
}

// DatabaseCheck reads, without changing anything, the key check a database
// file records ("" when it records none).
func DatabaseCheck(ctx context.Context, dbPath string) (string, error) {
	sealed, err := hasSealedData(ctx, dbPath)
	if err != nil || !sealed {
		return "", err
	}
	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro")
	if err != nil {
		return "", err
	}
	defer db.Close()
	var check string
	err = db.QueryRowContext(ctx, `SELECT key_check FROM vault_meta WHERE id = 1`).Scan(&check)
	return check, err
}

// RestoreKey writes a recovered data key into the data folder after
// checking that it is the key the database there was sealed with.
func RestoreKey(ctx context.Context, dataDir, dbPath string, key []byte) error {
	want, err := DatabaseCheck(ctx, dbPath)
	if err != nil {
		return err
	}
	got, err := CheckOf(key)
	if err != nil {
		return err
	}
	if want != "" && want != got {
		return ErrKeyMismatch
	}
	if sealed := databaseSealedCheck(ctx, dbPath); sealed != "" {
		v, err := New(key)
		if err != nil {
			return err
		}
		if v.verify(got, sealed) != nil {
			return ErrKeyMismatch
		}
	}
	return SaveKey(dataDir, key)
}

// databaseSealedCheck reads the sealed key check a database file records
// ("" when it records none, as before that check existed).
func databaseSealedCheck(ctx context.Context, dbPath string) string {
	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro")
	if err != nil {
		return ""
	}
	defer db.Close()
	var sealed string
	if err := db.QueryRowContext(ctx, `SELECT sealed_check FROM vault_meta WHERE id = 1`).Scan(&sealed); err != nil {
		return "" // a database from before the sealed check, or none
	}
	return sealed
}
