package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"huicai/internal/clock"
)

// TimestampLayout is how every stored time is written: UTC with six
// fractional digits, always the same width, so that stored times sort and
// compare as text.
const TimestampLayout = "2006-01-02T15:04:05.000000Z"

// Timestamp writes t as a stored time.
func Timestamp(t time.Time) string { return t.UTC().Format(TimestampLayout) }

// Now is the current time (clock.Now) as a stored time.
func Now() string { return Timestamp(clock.Now()) }

// ParseTime reads a stored time: the fixed width, and the RFC 3339 texts
// (with or without fractional seconds) written before it.
func ParseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

// FixTimes rewrites the stored times in columns of table to the fixed
// width, inside a migration. Empty values, and values that are not RFC 3339
// times, stay as they are.
func FixTimes(ctx context.Context, tx *sql.Tx, table string, columns ...string) error {
	for _, col := range columns {
		if err := fixColumn(ctx, tx, table, col); err != nil {
			return fmt.Errorf("store: fix times in %s.%s: %w", table, col, err)
		}
	}
	return nil
}

func fixColumn(ctx context.Context, tx *sql.Tx, table, col string) error {
	fixed, err := unevenTimes(ctx, tx, table, col)
	if err != nil {
		return err
	}
	for id, v := range fixed {
		if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET `+col+` = ? WHERE rowid = ?`, v, id); err != nil {
			return err
		}
	}
	return nil
}

// unevenTimes reads the column's times that are not yet fixed-width, with
// what they become, by rowid.
func unevenTimes(ctx context.Context, tx *sql.Tx, table, col string) (map[int64]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT rowid, `+col+` FROM `+table+` WHERE `+col+` <> ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	fixed := map[int64]string{}
	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			return nil, err
		}
		if t, err := ParseTime(v); err == nil && Timestamp(t) != v {
			fixed[id] = Timestamp(t)
		}
	}
	return fixed, rows.Err()
}

// FixTimesStep is a migration step that rewrites the stored times of the
// columns named per table to the fixed width (see FixTimes).
func FixTimesStep(columns map[string][]string) func(ctx context.Context, tx *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		for table, cols := range columns {
			if err := FixTimes(ctx, tx, table, cols...); err != nil {
				return err
			}
		}
		return nil
	}
}
