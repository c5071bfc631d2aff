package vault

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"huicai/internal/store"
)

// Migrations creates the table that remembers which data key the
// database's sealed values belong to.
func Migrations() []store.Migration {
	return []store.Migration{{Version: 15, Name: "vault: key check", Up: func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE vault_meta (id INTEGER PRIMARY KEY CHECK (id = 1), key_check TEXT NOT NULL)`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO vault_meta(id, key_check) VALUES (1, ?)`, Check())
		return err
	}}, sealedCheckMigration}
}

// ErrKeyMismatch means the key file does not belong to the database.
var ErrKeyMismatch = errors.New("vault: the data key does not belong to this database")

// sealedCheck is what vault_meta.sealed_check holds, sealed: the key check
// covers only the index half of the key, so the encryption half is proven
// by opening this.
const sealedCheck = "huicai-key-check"

// sealedCheckMigration records a value sealed with the key, so that damage
// to the key's encryption half is noticed at start-up rather than at the
// first request that opens personal data.
var sealedCheckMigration = store.Migration{Version: 23, Name: "vault: sealed key check", Up: func(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `ALTER TABLE vault_meta ADD COLUMN sealed_check TEXT NOT NULL DEFAULT ''`); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE vault_meta SET sealed_check = ?`, Seal(sealedCheck))
	return err
}}

// Verify checks that the active key is the one the database was sealed
// with: a key of another installation is ErrKeyMismatch, a damaged one
// ErrBadKeyFile.
func Verify(ctx context.Context, q store.Querier) error {
	var check, sealed string
	err := q.QueryRowContext(ctx, `SELECT key_check, sealed_check FROM vault_meta WHERE id = 1`).Scan(&check, &sealed)
	if err != nil {
		return fmt.Errorf("vault: key check: %w", err)
	}
	return active().verify(check, sealed)
}

func (v *Vault) verify(check, sealed string) error {
	if check != v.check {
		return ErrKeyMismatch
	}
	if plain, err := v.open(sealed); err != nil || plain != sealedCheck {
		return ErrBadKeyFile
	}
	return nil
}

// SealColumns encrypts, in place, the values of columns still stored in
// the clear; index, if set, is called with each row's clear values first so
// that a blind index can be filled in. For migrations.
func SealColumns(ctx context.Context, tx *sql.Tx, table, key string, columns []string, index func(id int64, clear []string) error) error {
	all, err := readColumns(ctx, tx, table, key, columns)
	if err != nil {
		return err
	}
	set := make([]string, len(columns))
	for i, c := range columns {
		set[i] = c + " = ?"
	}
	for _, r := range all {
		clear := make([]string, len(r.values))
		args := make([]any, 0, len(r.values)+1)
		for i, v := range r.values {
			if clear[i], err = Open(v); err != nil {
				return err
			}
			args = append(args, Seal(clear[i]))
		}
		if index != nil {
			if err := index(r.id, clear); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET `+strings.Join(set, ", ")+` WHERE `+key+` = ?`, append(args, r.id)...); err != nil {
			return fmt.Errorf("vault: seal %s: %w", table, err)
		}
	}
	return nil
}

// sealRow is one row's key and the values of the columns to seal.
type sealRow struct {
	id     int64
	values []string
}

func readColumns(ctx context.Context, tx *sql.Tx, table, key string, columns []string) ([]sealRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+key+`, `+strings.Join(columns, ", ")+` FROM `+table)
	if err != nil {
		return nil, fmt.Errorf("vault: read %s: %w", table, err)
	}
	defer rows.Close()
	var all []sealRow
	for rows.Next() {
		r := sealRow{values: make([]string, len(columns))}
		ptrs := []any{&r.id}
		for i := range r.values {
			ptrs = append(ptrs, &r.values[i])
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		all = append(all, r)
	}
	return all, rows.Err()
}

// MustOpen opens a stored value, reporting a damaged one as an error.
func MustOpen(stored string, err *error) string {
	plain, e := Open(stored)
	if e != nil && *err == nil {
		*err = e
	}
	return plain
}
