// Package audit keeps the append-only, hash-chained audit log. Every action
// that changes data, and every sign-in event, appends one row in the same
// transaction as the change. Triggers refuse UPDATE and DELETE; each row's
// hash covers the previous row's hash and the row's own canonical content,
// so any edit made behind the application's back breaks the chain.
package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"huicai/internal/store"
)

// Outcomes of an audited action.
const (
	OK     = "成功"
	Failed = "失败"
)

// Actor is who did something, and from where.
type Actor struct {
	UserID   int64  `json:"user_id"`
	Username string `json:"username"`
	Role     string `json:"role"`
	Client   string `json:"client"`
}

// Entry is one audited action.
type Entry struct {
	Actor
	Action  string `json:"action"`
	Object  string `json:"object"`
	Outcome string `json:"outcome"`
	Detail  string `json:"detail"`
}

// Row is an entry as stored, with its time and chain hashes.
type Row struct {
	ID int64  `json:"id"`
	At string `json:"at"`
	Entry
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// Migrations creates the audit table and its append-only triggers.
func Migrations() []store.Migration {
	return []store.Migration{{Version: 3, Name: "audit: audit_log", Up: store.Exec(
		`CREATE TABLE audit_log (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			at TEXT NOT NULL,
			user_id INTEGER,
			username TEXT NOT NULL,
			role TEXT NOT NULL,
			client TEXT NOT NULL,
			action TEXT NOT NULL,
			object TEXT NOT NULL,
			outcome TEXT NOT NULL,
			detail TEXT NOT NULL,
			prev_hash TEXT NOT NULL,
			hash TEXT NOT NULL
		)`,
		`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
			BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
		`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
			BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
	)}, {Version: 21, Name: "audit: the log's head is anchored outside the database", Up: store.Exec(
		`CREATE TABLE audit_anchored (id INTEGER PRIMARY KEY CHECK (id = 1))`,
		`CREATE TRIGGER audit_anchored_no_delete BEFORE DELETE ON audit_anchored
			BEGIN SELECT RAISE(ABORT, 'audit_anchored is permanent'); END`,
	)}, listMigration, orderMigration, store.KeepTotal(59, "audit_log"),
		store.KeepMoves(65, store.Moves{Log: "audit_log_moves", Table: "audit_log", Columns: []string{"id", "at", "action", "username"}})}
}

// Append writes e as the next row of the chain inside tx.
func Append(ctx context.Context, tx *sql.Tx, e Entry) error {
	prev, err := headHash(ctx, tx)
	if err != nil {
		return err
	}
	row := Row{At: store.Now(), Entry: e, PrevHash: prev}
	row.Hash = row.computeHash()
	var uid any
	if e.UserID != 0 {
		uid = e.UserID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log
		(at, user_id, username, role, client, action, object, outcome, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		row.At, uid, e.Username, e.Role, e.Client, e.Action, e.Object, e.Outcome, e.Detail, row.PrevHash, row.Hash)
	if err != nil {
		return fmt.Errorf("audit: append: %w", err)
	}
	return nil
}

// HeadHash returns the hash of the newest row ("" for an empty log).
func HeadHash(ctx context.Context, q store.Querier) (string, error) { return headHash(ctx, q) }

func headHash(ctx context.Context, q store.Querier) (string, error) {
	var h string
	err := q.QueryRowContext(ctx, `SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("audit: head: %w", err)
	}
	return h, nil
}

// computeHash is SHA-256 over the previous hash and the row's canonical JSON
// (fixed field order, no hashes inside).
func (r Row) computeHash() string {
	content, _ := json.Marshal(struct {
		At string `json:"at"`
		Entry
	}{r.At, r.Entry})
	sum := sha256.Sum256(append([]byte(r.PrevHash+"\n"), content...))
	return hex.EncodeToString(sum[:])
}

// Ways the log can be found broken.
const (
	BrokenLink    = "link"      // a row does not follow the one before it
	BrokenContent = "content"   // a row does not match its hash
	Truncated     = "truncated" // the log ends before its anchored head
	HeadReplaced  = "replaced"  // the anchored head row was replaced
	AnchorMissing = "no-anchor" // the anchor file of an anchored log is gone
	AnchorDamaged = "bad-anchor"
)

// ErrBroken reports the first row where the chain does not hold.
type ErrBroken struct {
	RowID int64
	Kind  string
}

var brokenReasons = map[string]string{
	BrokenLink:    "previous hash does not match the row before",
	BrokenContent: "content does not match its hash",
	Truncated:     "the newest rows were deleted: the log ends before its anchored head",
	HeadReplaced:  "the row at the anchored head was replaced",
	AnchorMissing: "the anchored head file is missing",
	AnchorDamaged: "the anchored head is damaged or sealed with another key",
}

func (e *ErrBroken) Error() string {
	return fmt.Sprintf("audit chain broken at row %d: %s", e.RowID, brokenReasons[e.Kind])
}

// Verify walks the whole chain and returns the number of rows checked, or an
// *ErrBroken naming the first row that does not hold.
func Verify(ctx context.Context, q store.Querier) (int, error) {
	_, n, err := walk(ctx, q, Head{})
	return n, err
}

// walk checks the rows after from, the first of which must follow from's
// hash, and returns the last row checked (from, if none) and how many.
func walk(ctx context.Context, q store.Querier, from Head) (Head, int, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+rowColumns+` FROM audit_log WHERE id > ? ORDER BY id`, from.ID)
	if err != nil {
		return from, 0, fmt.Errorf("audit: verify: %w", err)
	}
	defer rows.Close()
	last, n := from, 0
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return last, n, err
		}
		if r.PrevHash != last.Hash {
			return last, n, &ErrBroken{RowID: r.ID, Kind: BrokenLink}
		}
		if r.computeHash() != r.Hash {
			return last, n, &ErrBroken{RowID: r.ID, Kind: BrokenContent}
		}
		last = Head{ID: r.ID, Hash: r.Hash}
		n++
	}
	return last, n, rows.Err()
}

// scanRow reads one row of the log selected as rowColumns.
func scanRow(s interface{ Scan(...any) error }) (Row, error) {
	var r Row
	if err := s.Scan(&r.ID, &r.At, &r.UserID, &r.Username, &r.Role, &r.Client,
		&r.Action, &r.Object, &r.Outcome, &r.Detail, &r.PrevHash, &r.Hash); err != nil {
		return r, fmt.Errorf("audit: read row: %w", err)
	}
	return r, nil
}
