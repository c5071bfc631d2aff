package app

import (
	"context"
	"database/sql"
	"regexp"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/store"
)

var fixedWidth = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`)

// TestEveryStoredTimeHasTheFixedWidth walks every table after a working
// session (setup, sign-ins, registrations, reviews, uploads, a lockout)
// and checks every time column: stored times must sort as text, so each
// is written in the one fixed width (store.TimestampLayout).
func TestEveryStoredTimeHasTheFixedWidth(t *testing.T) {
	f := newRoleFixture(t)
	for range 5 {
		f.a.accounts.Login(context.Background(), account.Credentials{Username: "zhuanyuan2", Password: "Wrong@2026"}, "10.0.0.9")
	}
	ctx := context.Background()
	tables, err := store.Rows(ctx, f.a.db, func(r *sql.Rows) (n string, err error) { return n, r.Scan(&n) },
		`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, table := range tables {
		cols, err := store.Rows(ctx, f.a.db, func(r *sql.Rows) (c string, err error) {
			var cid, notNull, pk int
			var typ string
			var dflt sql.NullString
			return c, r.Scan(&cid, &c, &typ, &notNull, &dflt, &pk)
		}, `SELECT * FROM pragma_table_info(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		for _, col := range cols {
			if !strings.HasSuffix(col, "_at") && col != "at" && col != "locked_until" {
				continue
			}
			values, err := store.Rows(ctx, f.a.db, func(r *sql.Rows) (v string, err error) { return v, r.Scan(&v) },
				`SELECT CAST(`+col+` AS TEXT) FROM "`+table+`" WHERE `+col+` <> ''`)
			if err != nil {
				t.Fatalf("%s.%s: %v", table, col, err)
			}
			for _, v := range values {
				checked++
				if !fixedWidth.MatchString(v) {
					t.Errorf("%s.%s holds %q, not the fixed width", table, col, v)
				}
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d stored times checked", checked)
	}
}
