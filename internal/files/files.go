// Package files stores uploaded documents (attachments and stamped scans).
//
// Storage is content-addressed: a file's bytes live once under
// files/<first two hex digits>/<sha256> in the data folder, and the files
// table records its SHA-256, size, type and original name. A file is written
// to a temporary name, synced and renamed into place before the row that
// names it is committed, so a committed row always has its bytes; a crash
// between the two leaves at most an unreferenced file, never a row without
// bytes. Every read re-checks the hash, so a damaged file is reported rather
// than served.
package files

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"huicai/internal/apperr"
	"huicai/internal/store"
)

// MaxSize is the largest file accepted: 20 MB.
const MaxSize = 20 << 20

// Kinds of content accepted, by their magic bytes.
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
)

// File is a stored document.
type File struct {
	ID        int64  `json:"id"`
	SHA256    string `json:"sha256"`
	Size      int64  `json:"size"`
	Type      string `json:"type"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
}

// Migrations creates the files table.
func Migrations() []store.Migration {
	return []store.Migration{{Version: 8, Name: "files: files", Up: store.Exec(
		`CREATE TABLE files (
			id INTEGER PRIMARY KEY,
			sha256 TEXT NOT NULL,
			size INTEGER NOT NULL,
			type TEXT NOT NULL,
			name TEXT NOT NULL,
			created_at TEXT NOT NULL
		)`,
		`CREATE INDEX files_sha256 ON files(sha256)`,
	)}}
}

// Store keeps file bytes under a data folder.
type Store struct {
	dir string
}

// NewStore returns the store under dataDir/files.
func NewStore(dataDir string) *Store { return &Store{dir: filepath.Join(dataDir, "files")} }

// Sniff returns the content type of head (the first bytes of a file), or ""
// when it is not a PDF, JPEG or PNG, whatever the file is called.
func Sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return TypePDF
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return TypeJPEG
	case bytes.HasPrefix(head, []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}):
		return TypePNG
	}
	return ""
}

// fileError is a refused upload: the reason is both the message and the
// file field's error, since an upload has no other field.
func fileError(reason string) *apperr.Error {
	return &apperr.Error{Code: apperr.CodeValidation, Message: reason, Fields: map[string]string{"file": reason}}
}

var (
	errEmpty    = fileError("文件是空的，请重新选择")
	errTooLarge = apperr.New(apperr.CodeTooLarge, "文件超过20MB，请压缩或拆分后再上传")
	errType     = fileError("只能上传 PDF、JPG 或 PNG 文件（按文件内容判断，不看扩展名）")
)

// TypeXLSX is the content type of generated spreadsheets.
const TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Put reads r (at most MaxSize bytes), checks its content type and writes
// it into the store, returning the file's hash, size and type. The caller
// records it with Record inside its own transaction.
func (s *Store) Put(r io.Reader, name string) (File, error) { return s.put(r, name, "") }

// PutGenerated stores a file the program made itself, of a known type and
// without the upload size limit.
func (s *Store) PutGenerated(r io.Reader, name, typ string) (File, error) { return s.put(r, name, typ) }

func (s *Store) put(r io.Reader, name, known string) (File, error) {
	tmpDir := filepath.Join(s.dir, "tmp")
	if err := os.MkdirAll(tmpDir, 0o700); err != nil {
		return File{}, fmt.Errorf("files: %w", err)
	}
	tmp, err := os.CreateTemp(tmpDir, "upload-*")
	if err != nil {
		return File{}, fmt.Errorf("files: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	head := &headBuffer{max: 16}
	limit := int64(MaxSize + 1)
	if known != "" {
		limit = 1 << 40
	}
	n, err := io.Copy(io.MultiWriter(tmp, h, head), io.LimitReader(r, limit))
	if err != nil {
		return File{}, fmt.Errorf("files: read upload: %w", err)
	}
	switch {
	case n == 0:
		return File{}, errEmpty
	case n > MaxSize && known == "":
		return File{}, errTooLarge
	}
	typ := known
	if typ == "" {
		typ = Sniff(head.Bytes())
	}
	if typ == "" {
		return File{}, errType
	}
	if err := tmp.Sync(); err != nil {
		return File{}, fmt.Errorf("files: sync: %w", err)
	}
	f := File{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, Type: typ, Name: cleanName(name, typ)}
	final := s.path(f.SHA256)
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return File{}, fmt.Errorf("files: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return File{}, fmt.Errorf("files: close: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return File{}, fmt.Errorf("files: store: %w", err)
	}
	return f, syncDir(filepath.Dir(final))
}

// Record inserts f's row inside tx.
func Record(ctx context.Context, tx *sql.Tx, f File) (File, error) {
	f.CreatedAt = time.Now().UTC().Format(time.RFC3339)
	res, err := tx.ExecContext(ctx, `INSERT INTO files(sha256, size, type, name, created_at) VALUES (?, ?, ?, ?, ?)`,
		f.SHA256, f.Size, f.Type, f.Name, f.CreatedAt)
	if err != nil {
		return File{}, fmt.Errorf("files: record: %w", err)
	}
	f.ID, err = res.LastInsertId()
	return f, err
}

// ErrNotFound is returned for an unknown file.
var ErrNotFound = apperr.NotFound("文件不存在")

// ByID returns a file's row.
func ByID(ctx context.Context, q store.Querier, id int64) (File, error) {
	var f File
	err := q.QueryRowContext(ctx, `SELECT id, sha256, size, type, name, created_at FROM files WHERE id = ?`, id).
		Scan(&f.ID, &f.SHA256, &f.Size, &f.Type, &f.Name, &f.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, ErrNotFound
	}
	if err != nil {
		return File{}, fmt.Errorf("files: %d: %w", id, err)
	}
	return f, nil
}

// ErrDamaged means stored bytes no longer match their recorded hash.
var ErrDamaged = errors.New("files: stored file does not match its hash")

// Open returns the bytes of f, checking size and hash first.
func (s *Store) Open(f File) (*os.File, error) {
	file, err := os.Open(s.path(f.SHA256))
	if err != nil {
		return nil, fmt.Errorf("files: open %s: %w", f.SHA256, err)
	}
	h := sha256.New()
	n, err := io.Copy(h, file)
	if err != nil || n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
		file.Close()
		return nil, fmt.Errorf("%w: %s", ErrDamaged, f.SHA256)
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		file.Close()
		return nil, err
	}
	return file, nil
}

// TempDir is a folder on the store's disk for work that is renamed into
// place when complete.
func (s *Store) TempDir() string {
	dir := filepath.Join(s.dir, "tmp")
	os.MkdirAll(dir, 0o700)
	return dir
}

// Path is where f's bytes live (for streaming into packages).
func (s *Store) Path(f File) string { return s.path(f.SHA256) }

func (s *Store) path(sum string) string { return filepath.Join(s.dir, sum[:2], sum) }

var extensions = map[string]string{TypePDF: ".pdf", TypeJPEG: ".jpg", TypePNG: ".png", TypeXLSX: ".xlsx"}

// cleanName keeps a display name without folders or control characters,
// with the extension its content deserves.
func cleanName(name, typ string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSuffix(name, filepath.Ext(name))
	for utf8.RuneCountInString(name) > 80 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." {
		name = "附件"
	}
	return name + extensions[typ]
}

type headBuffer struct {
	bytes.Buffer
	max int
}

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := h.max - h.Len(); room > 0 {
		h.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	d.Sync()
	return nil
}
