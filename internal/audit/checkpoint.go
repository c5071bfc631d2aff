package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"

	"huicai/internal/store"
)

// Walking the whole chain at every start costs seconds on a log of
// hundreds of thousands of rows. So the last row a check walked to is kept
// as a checkpoint in a second sealed file beside the database, and the
// start-up check walks only the rows after it: the checkpoint row must
// still hold, with the hash it had, and the rows after it must follow it.
// Rows before the checkpoint were checked when it was written; the full
// check (huicai audit verify, and a daily check while the program runs)
// walks them again, so that a row edited behind the program's back after
// it was checked is still found.

const checkpointHeader = "huicai-audit-verified v1\n"

// CheckpointPath is where the checkpoint lives in a data folder.
func CheckpointPath(dataDir string) string { return filepath.Join(dataDir, "audit.verified") }

// CheckFull walks the whole chain of q and checks that it reaches the head
// anchored in dataDir; when both hold it moves the checkpoint to the newest
// row walked. It returns the number of rows checked.
func CheckFull(ctx context.Context, q store.Querier, dataDir string) (int, error) {
	last, n, err := walk(ctx, q, Head{})
	if err != nil {
		return n, err
	}
	if err := CheckAnchor(ctx, q, dataDir); err != nil {
		return n, err
	}
	return n, moveCheckpoint(dataDir, Head{}, last)
}

// CheckSinceCheckpoint is the start-up check: like CheckFull, but it walks
// only the rows after dataDir's checkpoint. A checkpoint that is missing,
// damaged, or names a row that no longer holds with its hash falls back to
// the full walk, which then names the row that does not hold.
func CheckSinceCheckpoint(ctx context.Context, q store.Querier, dataDir string) error {
	from, err := readSealedHead(CheckpointPath(dataDir), checkpointHeader)
	if err == nil {
		err = checkpointHolds(ctx, q, from)
	}
	if err != nil {
		_, err := CheckFull(ctx, q, dataDir)
		return err
	}
	last, _, err := walk(ctx, q, from)
	if err != nil {
		return err
	}
	if err := CheckAnchor(ctx, q, dataDir); err != nil {
		return err
	}
	return moveCheckpoint(dataDir, from, last)
}

// checkpointHolds checks that the row cp names is still there, still has
// cp's hash, and still matches it.
func checkpointHolds(ctx context.Context, q store.Querier, cp Head) error {
	if cp.ID == 0 {
		return nil
	}
	r, err := scanRow(q.QueryRowContext(ctx, `SELECT `+rowColumns+` FROM audit_log WHERE id = ?`, cp.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return &ErrBroken{RowID: cp.ID, Kind: Truncated}
	}
	if err != nil {
		return err
	}
	if r.Hash != cp.Hash || r.computeHash() != r.Hash {
		return &ErrBroken{RowID: cp.ID, Kind: BrokenContent}
	}
	return nil
}

// moveCheckpoint writes last as dataDir's checkpoint unless it is where
// the checkpoint already was.
func moveCheckpoint(dataDir string, was, last Head) error {
	if last == was && was.ID != 0 {
		return nil
	}
	if err := writeSealedHead(CheckpointPath(dataDir), checkpointHeader, last); err != nil {
		return fmt.Errorf("audit: checkpoint: %w", err)
	}
	return nil
}
