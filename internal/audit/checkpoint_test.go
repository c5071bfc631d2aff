package audit_test

import (
	"errors"
	"os"
	"testing"

	"huicai/internal/audit"
	"huicai/internal/store"
	"huicai/internal/testdb"
)

// tamper edits row id behind the program's back.
func tamper(t *testing.T, db *store.DB, id int64) {
	t.Helper()
	db.Exec(`DROP TRIGGER IF EXISTS audit_log_no_update`)
	if _, err := db.Exec(`UPDATE audit_log SET detail = '改过' WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
}

func brokenAt(err error) int64 {
	var broken *audit.ErrBroken
	if !errors.As(err, &broken) {
		return 0
	}
	return broken.RowID
}

// checkpointed returns a log of five rows whose checkpoint is at row 3.
func checkpointed(t *testing.T) (*store.DB, string) {
	t.Helper()
	db, dir := testdb.Open(t), t.TempDir()
	appendN(t, db, 3)
	if n, err := audit.CheckFull(ctx, db, dir); err != nil || n != 3 {
		t.Fatalf("CheckFull = %d, %v", n, err)
	}
	appendN(t, db, 2)
	if err := audit.WriteAnchor(dir, mustHead(t, db)); err != nil {
		t.Fatal(err)
	}
	return db, dir
}

func mustHead(t *testing.T, db *store.DB) audit.Head {
	t.Helper()
	h, err := audit.CurrentHead(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestStartUpFindsARowTamperedAfterTheCheckpoint(t *testing.T) {
	db, dir := checkpointed(t)
	tamper(t, db, 5)
	if err := audit.CheckSinceCheckpoint(ctx, db, dir); brokenAt(err) != 5 {
		t.Fatalf("want break at row 5, got %v", err)
	}
}

func TestTheCheckpointMovesOnAndTheFullCheckFindsRowsBeforeIt(t *testing.T) {
	db, dir := checkpointed(t)
	if err := audit.CheckSinceCheckpoint(ctx, db, dir); err != nil {
		t.Fatal(err)
	}
	appendN(t, db, 1)
	if err := audit.WriteAnchor(dir, mustHead(t, db)); err != nil {
		t.Fatal(err)
	}
	// The checkpoint is now at row 5: row 2 was walked by earlier checks,
	// so start-up does not walk it again; the full check does.
	tamper(t, db, 2)
	if err := audit.CheckSinceCheckpoint(ctx, db, dir); err != nil {
		t.Fatalf("start-up walked the rows before its checkpoint: %v", err)
	}
	if n, err := audit.CheckFull(ctx, db, dir); brokenAt(err) != 2 || n != 1 {
		t.Fatalf("full check: want break at row 2, got %d, %v", n, err)
	}
}

func TestTheCheckpointRowItselfMustStillHold(t *testing.T) {
	db, dir := checkpointed(t)
	tamper(t, db, 3)
	if err := audit.CheckSinceCheckpoint(ctx, db, dir); brokenAt(err) != 3 {
		t.Fatalf("want break at row 3, got %v", err)
	}
}

func TestAMissingOrDamagedCheckpointFallsBackToTheFullCheck(t *testing.T) {
	for name, damage := range map[string]func(path string){
		"missing": func(path string) { os.Remove(path) },
		"damaged": func(path string) { os.WriteFile(path, []byte("huicai-audit-verified v1\nenc:v1:AAAA\n"), 0o600) },
		"other":   func(path string) { os.WriteFile(path, []byte("not a checkpoint"), 0o600) },
	} {
		t.Run(name, func(t *testing.T) {
			db, dir := checkpointed(t)
			tamper(t, db, 2)
			damage(audit.CheckpointPath(dir))
			if err := audit.CheckSinceCheckpoint(ctx, db, dir); brokenAt(err) != 2 {
				t.Fatalf("want break at row 2, got %v", err)
			}
		})
	}
}
