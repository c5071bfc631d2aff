package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"huicai/internal/store"
	"huicai/internal/vault"
)

// The chain proves that no row was changed, but deleting the newest rows
// leaves a shorter chain that still holds. So the head of the chain (the
// newest row's id and hash) is also kept outside the database, in a file
// beside it sealed with the data key, rewritten after every commit that
// appends to the log. A database whose chain does not reach the anchored
// head has lost rows.

// Head is the newest row of the chain.
type Head struct {
	ID   int64  `json:"id"`
	Hash string `json:"hash"`
}

const anchorHeader = "huicai-audit-head v1\n"

// AnchorPath is where the anchored head lives in a data folder.
func AnchorPath(dataDir string) string { return filepath.Join(dataDir, "audit.head") }

// ErrNoAnchor means the data folder has no anchor file.
var ErrNoAnchor = errors.New("audit: no anchored head")

// CurrentHead returns the newest row's id and hash (zero for an empty log).
func CurrentHead(ctx context.Context, q store.Querier) (Head, error) {
	var h Head
	err := q.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&h.ID, &h.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return Head{}, nil
	}
	if err != nil {
		return Head{}, fmt.Errorf("audit: head: %w", err)
	}
	return h, nil
}

// ReadAnchor reads the anchored head of dataDir.
func ReadAnchor(dataDir string) (Head, error) {
	h, err := readSealedHead(AnchorPath(dataDir), anchorHeader)
	if errors.Is(err, errDamaged) {
		return Head{}, &ErrBroken{Kind: AnchorDamaged}
	}
	if errors.Is(err, os.ErrNotExist) {
		return Head{}, ErrNoAnchor
	}
	return h, err
}

// WriteAnchor seals h into dataDir's anchor file, atomically.
func WriteAnchor(dataDir string, h Head) error {
	return writeSealedHead(AnchorPath(dataDir), anchorHeader, h)
}

// errDamaged means a sealed head file could not be read back.
var errDamaged = errors.New("audit: sealed head damaged")

// readSealedHead reads a head sealed under header at path. A missing file
// is an error wrapping os.ErrNotExist; an unreadable one, errDamaged.
func readSealedHead(path, header string) (Head, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Head{}, fmt.Errorf("audit: read %s: %w", filepath.Base(path), err)
	}
	sealed, ok := strings.CutPrefix(string(data), header)
	plain, err := vault.Open(strings.TrimSpace(sealed))
	var h Head
	if !ok || !vault.IsSealed(strings.TrimSpace(sealed)) || err != nil || json.Unmarshal([]byte(plain), &h) != nil {
		return Head{}, errDamaged
	}
	return h, nil
}

// writeSealedHead seals h under header into path, atomically.
func writeSealedHead(path, header string, h Head) error {
	content, _ := json.Marshal(h)
	if err := store.ReplaceFile(path, []byte(header+vault.Seal(string(content))+"\n")); err != nil {
		return fmt.Errorf("audit: write %s: %w", filepath.Base(path), err)
	}
	return nil
}

// CheckAnchor verifies that the log in q still reaches the head anchored
// in dataDir. A missing anchor is accepted only for a log that was never
// anchored (a database from before anchoring); it is then written.
func CheckAnchor(ctx context.Context, q store.Querier, dataDir string) error {
	anchored, err := ReadAnchor(dataDir)
	if errors.Is(err, ErrNoAnchor) {
		return anchorFirstTime(ctx, q, dataDir)
	}
	if err != nil {
		return err
	}
	return Reaches(ctx, q, anchored)
}

// Reaches checks that the log in q holds the row h names, with h's hash.
func Reaches(ctx context.Context, q store.Querier, h Head) error {
	if h.ID == 0 {
		return nil
	}
	var hash string
	err := q.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE id = ?`, h.ID).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return &ErrBroken{RowID: h.ID, Kind: Truncated}
	}
	if err != nil {
		return fmt.Errorf("audit: check anchor: %w", err)
	}
	if hash != h.Hash {
		return &ErrBroken{RowID: h.ID, Kind: HeadReplaced}
	}
	return nil
}

// anchorFirstTime anchors a log that has none yet, unless the database
// records that it was anchored before (the anchor file was removed).
func anchorFirstTime(ctx context.Context, q store.Querier, dataDir string) error {
	var anchored int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_anchored`).Scan(&anchored); err != nil {
		return fmt.Errorf("audit: anchored: %w", err)
	}
	if anchored > 0 {
		return &ErrBroken{Kind: AnchorMissing}
	}
	h, err := CurrentHead(ctx, q)
	if err != nil {
		return err
	}
	if err := WriteAnchor(dataDir, h); err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO audit_anchored(id) VALUES (1)`)
	return err
}

// Anchorer keeps a data folder's anchor in step with its log.
type Anchorer struct {
	mu      sync.Mutex
	dataDir string
	last    Head
}

// NewAnchorer returns an anchorer for dataDir.
func NewAnchorer(dataDir string) *Anchorer {
	last, _ := ReadAnchor(dataDir)
	return &Anchorer{dataDir: dataDir, last: last}
}

// Update anchors the log's current head, if it moved on; called after
// every commit. It never moves the anchor past rows deleted since it was
// last written, so that the next check still finds the gap.
func (a *Anchorer) Update(ctx context.Context, q store.Querier) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	h, err := CurrentHead(ctx, q)
	if err != nil || h == a.last {
		return err
	}
	if err := Reaches(ctx, q, a.last); err != nil {
		return err
	}
	if err := WriteAnchor(a.dataDir, h); err != nil {
		return err
	}
	a.last = h
	return nil
}

// Reset anchors the head of a log that replaced the old one (a restored
// backup), after checking its chain.
func (a *Anchorer) Reset(ctx context.Context, q store.Querier) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := Verify(ctx, q); err != nil {
		return err
	}
	h, err := CurrentHead(ctx, q)
	if err != nil {
		return err
	}
	if err := WriteAnchor(a.dataDir, h); err != nil {
		return err
	}
	a.last = h
	return nil
}
