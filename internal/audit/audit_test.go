package audit_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/clock"
	"huicai/internal/store"
	"huicai/internal/testdb"
)

var ctx = context.Background()

func appendN(t *testing.T, db *store.DB, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			return audit.Append(ctx, tx, audit.Entry{Actor: audit.Actor{UserID: 1, Username: "leader", Role: "leader", Client: "127.0.0.1"},
				Action: "登录", Object: "用户 leader", Outcome: audit.OK})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestChainVerifies(t *testing.T) {
	db := testdb.Open(t)
	appendN(t, db, 5)
	n, err := audit.Verify(ctx, db)
	if err != nil || n != 5 {
		t.Fatalf("Verify = %d, %v; want 5, nil", n, err)
	}
	head, _ := audit.HeadHash(ctx, db)
	if len(head) != 64 {
		t.Errorf("head hash %q", head)
	}
}

func TestRowsAreAppendOnly(t *testing.T) {
	db := testdb.Open(t)
	appendN(t, db, 2)
	if _, err := db.Exec(`UPDATE audit_log SET outcome = '失败' WHERE id = 1`); err == nil {
		t.Error("UPDATE accepted")
	}
	if _, err := db.Exec(`DELETE FROM audit_log WHERE id = 2`); err == nil {
		t.Error("DELETE accepted")
	}
	if n, err := audit.Verify(ctx, db); err != nil || n != 2 {
		t.Errorf("Verify = %d, %v after refused edits", n, err)
	}
}

func TestTamperingNamesTheFirstBrokenRow(t *testing.T) {
	db := testdb.Open(t)
	appendN(t, db, 4)
	// Someone with the database file and a SQLite shell drops the trigger.
	db.Exec(`DROP TRIGGER audit_log_no_update`)
	if _, err := db.Exec(`UPDATE audit_log SET detail = '改过' WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	_, err := audit.Verify(ctx, db)
	var broken *audit.ErrBroken
	if !errors.As(err, &broken) || broken.RowID != 3 {
		t.Fatalf("want break at row 3, got %v", err)
	}
}

// TestListDaysAreTheOfficeDays: a row written at 16:30 UTC is on the next
// day in China, and the log's day filter finds it there, whatever the
// computer's time zone; a malformed day is a clear error.
func TestListDaysAreTheOfficeDays(t *testing.T) {
	defer clock.Set(func() time.Time { return time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC) })()
	db := testdb.Open(t)
	appendN(t, db, 1)
	for day, want := range map[string]int{"2026-12-01": 1, "2026-11-30": 0} {
		p, err := audit.List(ctx, db, audit.Filter{From: day, To: day})
		if err != nil || p.Total != want {
			t.Errorf("rows on %s: %d (%v), want %d", day, p.Total, err, want)
		}
	}
	var invalid *apperr.Error
	if _, err := audit.List(ctx, db, audit.Filter{From: "2026/12/01"}); !errors.As(err, &invalid) || invalid.Fields["from"] == "" {
		t.Errorf("a malformed day: %v", err)
	}
}

// TestTheWholeLogsTotalIsKept opens a database that a program knowing
// schema version 58 left with rows in its log: migrating it keeps the
// log's number of rows, which the whole log's page shows as its total
// after every row written since; a filtered page still counts its rows.
func TestTheWholeLogsTotalIsKept(t *testing.T) {
	dir := t.TempDir()
	old := testdb.OpenIn(t, dir, 58)
	appendN(t, old, 3)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	db := testdb.OpenIn(t, dir, 0)
	for written := 3; written <= 5; written++ {
		var rows int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		for f, want := range map[string]audit.Filter{"whole": {}, "oldest first": {Sort: "at"}, "by action": {Action: "登录"}} {
			p, err := audit.List(ctx, db, want)
			if err != nil || p.Total != rows || len(p.Items) != rows {
				t.Errorf("%s log after %d rows written: %d of %d (%v), want %d", f, written, len(p.Items), p.Total, err, rows)
			}
		}
		if p, err := audit.List(ctx, db, audit.Filter{Action: "登出"}); err != nil || p.Total != 0 {
			t.Errorf("rows of an action never recorded: %d (%v)", p.Total, err)
		}
		appendN(t, db, 1)
	}
}
