// Package files stores documents: uploaded attachments and stamped scans,
// and the papers the program exports.
//
// Storage is content-addressed: a file's bytes live once under
// files/<first two hex digits>/<sha256 of the plain bytes> in the data
// folder, sealed with the data key (seal.go), and the files table records
// its SHA-256, size, type and original name. A file is sealed into a
// temporary name, synced and renamed into place before the row that names
// it is committed, so a committed row always has its bytes; a crash
// between the two leaves at most an unreferenced file, never a row without
// bytes. Every read decrypts and re-checks the hash, so a damaged file is
// reported rather than served. Files stored in the clear by older versions
// are still read, and sealed in place by SealLegacy.
package files

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sync"

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
	ID     int64  `json:"id"`
	SHA256 string `json:"sha256"`
	// SM3 is the SM3 of the plain bytes, recorded when stored so that
	// sealing a package need not hash the file again ("" for files
	// stored before it was recorded).
	SM3       string `json:"-"`
	Size      int64  `json:"size"`
	Type      string `json:"type"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
}

// Migrations creates the files table and marks the versions of the
// stored documents' format.
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
	)}, {Version: 30, Name: "files: fixed-width times", Up: store.FixTimesStep(map[string][]string{
		"files": {"created_at"}})},
		{Version: 46, Name: "files: SM3 recorded when stored", Up: store.Exec(
			`ALTER TABLE files ADD COLUMN sm3 TEXT NOT NULL DEFAULT ''`)},
		// Documents stored from now on bind their last chunk to their name
		// (see seal.go), which earlier versions cannot read: the schema's
		// version says so, and they refuse the data folder as a whole
		// instead of calling new documents damaged.
		{Version: 48, Name: "files: documents bound to their names", Up: store.Exec()}}
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

// Put reads an upload r (at most MaxSize bytes) named name, checks the name
// and the content type and seals it into the store, returning the file's
// hash, size and type. The caller records it with Record inside its own
// transaction. A refused upload leaves nothing.
func (s *Store) Put(r io.Reader, name string) (File, error) {
	if err := checkName(name); err != nil {
		return File{}, err
	}
	p, err := s.Create()
	if err != nil {
		return File{}, err
	}
	defer p.Discard()
	if _, err := io.Copy(p, io.LimitReader(r, MaxSize+1)); err != nil {
		return File{}, fmt.Errorf("files: read upload: %w", err)
	}
	switch {
	case p.size == 0:
		return File{}, errEmpty
	case p.size > MaxSize:
		return File{}, errTooLarge
	}
	typ := Sniff(p.head.Bytes())
	if typ == "" {
		return File{}, errType
	}
	return p.Keep(name, typ)
}

// Record inserts f's row inside tx.
func Record(ctx context.Context, tx *sql.Tx, f File) (File, error) {
	f.CreatedAt = store.Now()
	res, err := tx.ExecContext(ctx, `INSERT INTO files(sha256, sm3, size, type, name, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		f.SHA256, f.SM3, f.Size, f.Type, f.Name, f.CreatedAt)
	if err != nil {
		return File{}, fmt.Errorf("files: record: %w", err)
	}
	f.ID, err = res.LastInsertId()
	return f, err
}

// ErrNotFound is returned for an unknown file.
var ErrNotFound = apperr.NotFound("文件不存在")

// Columns are a file row's columns, read through the alias f (FROM files f,
// JOIN files f), in the order Fields scans them.
const Columns = `f.id, f.sha256, f.sm3, f.size, f.type, f.name, f.created_at`

// Fields are where a row of Columns is scanned to.
func (f *File) Fields() []any {
	return []any{&f.ID, &f.SHA256, &f.SM3, &f.Size, &f.Type, &f.Name, &f.CreatedAt}
}

// ByID returns a file's row.
func ByID(ctx context.Context, q store.Querier, id int64) (File, error) {
	var f File
	err := q.QueryRowContext(ctx, `SELECT `+Columns+` FROM files f WHERE id = ?`, id).Scan(f.Fields()...)
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, ErrNotFound
	}
	if err != nil {
		return File{}, fmt.Errorf("files: %d: %w", id, err)
	}
	return f, nil
}

// ByIDs returns the files of ids, by id, in one query; ids not found are
// left out.
func ByIDs(ctx context.Context, q store.Querier, ids []int64) (map[int64]File, error) {
	out := make(map[int64]File, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list, err := store.Rows(ctx, q, func(rows *sql.Rows) (File, error) {
		var f File
		err := rows.Scan(f.Fields()...)
		return f, err
	}, `SELECT `+Columns+` FROM files f WHERE f.id IN (`+store.Placeholders(len(ids))+`)`, store.Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("files: by ids: %w", err)
	}
	for _, f := range list {
		out[f.ID] = f
	}
	return out, nil
}

// ErrDamaged means stored bytes cannot be decrypted with the data key or no
// longer match their recorded size and hash.
var ErrDamaged = errors.New("files: stored file does not match its hash")

// Open returns a reader of f's plain bytes, decrypted and checked (every
// chunk, the last one bound to f's SHA-256, then the size; the hash itself
// only for files sealed before names were bound, or stored in the clear by
// an older version) in one pass as they are read. The
// last bytes (up to a chunk, 64 KiB) are held back until the whole file is
// proved to be the one recorded, so a damaged file is never read whole:
// the reader ends with ErrDamaged before them, never with io.EOF. What is
// read is the file only once the reader has ended with io.EOF; until then
// a caller may pass it on (into a package or a download that fails with
// the error) but must not act on it.
func (s *Store) Open(f File) (io.ReadCloser, error) {
	file, err := os.Open(s.path(f.SHA256))
	if err != nil {
		return nil, fmt.Errorf("files: open %s: %w", f.SHA256, err)
	}
	bufs := openPool.Get().(*openBuffers)
	bufs.br.Reset(file)
	r := &plainReader{src: bufs.br, file: file, bufs: bufs, want: f, open: max(f.Size-chunkSize, 0)}
	name, err := hex.DecodeString(f.SHA256)
	if err != nil {
		r.Close()
		return nil, damaged(f, ErrDamaged)
	}
	o, err := newOpener(bufs.br, name, bufs.in)
	switch {
	case err == nil:
		r.src = o
	case !errors.Is(err, errNotSealed): // a file stored in the clear is read as it is
		r.Close()
		return nil, damaged(f, err)
	}
	if o == nil || !o.bound { // a bound file's last chunk opens only under its name
		r.hash = sha256.New()
	}
	return r, nil
}

// Opener is Open of f, to call later. It keeps only what Open reads of f
// (its name in the store and its size): a package holds one for each of
// tens of thousands of documents while it is sealed.
func (s *Store) Opener(f File) func() (io.ReadCloser, error) {
	kept := File{SHA256: f.SHA256, Size: f.Size}
	return func() (io.ReadCloser, error) { return s.Open(kept) }
}

// openBuffers are the buffers of a document being read, reused from one
// to the next: packaging opens tens of thousands, and their buffers were
// most of its garbage.
type openBuffers struct {
	br   *bufio.Reader
	in   []byte // a sealed chunk
	tail []byte
}

var openPool = sync.Pool{New: func() any {
	return &openBuffers{br: bufio.NewReaderSize(nil, chunkSize), in: make([]byte, chunkSize+16), tail: make([]byte, chunkSize+1)}
}}

func damaged(f File, err error) error {
	if errors.Is(err, ErrDamaged) {
		return fmt.Errorf("%w: %s", ErrDamaged, f.SHA256)
	}
	return err
}

// plainReader reads a stored file's plain bytes and proves at the end that
// they are the ones recorded: the bytes before open pass straight on, the
// rest (the tail) only once the whole file has been read and checked. hash
// is nil when the sealing proves the file's name (see newOpener).
type plainReader struct {
	src    io.Reader
	file   *os.File
	bufs   *openBuffers // back to openPool on Close
	want   File
	hash   hash.Hash
	read   int64 // bytes read from src
	open   int64 // how many bytes are passed on before the check
	tail   []byte
	proved bool  // the whole file is the one recorded: the tail may go
	err    error // why it is not
}

func (r *plainReader) Read(p []byte) (int, error) {
	if r.bufs == nil {
		return 0, os.ErrClosed
	}
	if r.read < r.open {
		n, err := r.src.Read(p[:min(int64(len(p)), r.open-r.read)])
		r.sum(p[:n])
		r.read += int64(n)
		if err != nil { // io.EOF too: the file is shorter than recorded
			return n, damaged(r.want, cmp.Or(ignoreEOF(err), ErrDamaged))
		}
		return n, nil
	}
	if !r.proved && r.err == nil {
		r.err = r.prove()
		r.proved = r.err == nil
	}
	if r.err != nil {
		return 0, r.err
	}
	n := copy(p, r.tail)
	r.tail = r.tail[n:]
	if len(r.tail) == 0 {
		return n, io.EOF
	}
	return n, nil
}

// prove reads the tail and checks the whole file: nil if it is the one
// recorded.
func (r *plainReader) prove() error {
	r.tail = r.bufs.tail[:r.want.Size-r.read+1] // one byte more shows a file too long (the tail is at most a chunk)
	n, err := io.ReadFull(r.src, r.tail)
	r.tail = r.tail[:n]
	r.sum(r.tail)
	r.read += int64(n)
	switch {
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF):
		return damaged(r.want, err)
	case r.read != r.want.Size || r.hash != nil && hex.EncodeToString(r.hash.Sum(nil)) != r.want.SHA256:
		return damaged(r.want, ErrDamaged)
	}
	return nil
}

// sum adds p to the hash of what was read, if the hash is checked.
func (r *plainReader) sum(p []byte) {
	if r.hash != nil {
		r.hash.Write(p)
	}
}

// ignoreEOF is err, or nil for io.EOF.
func ignoreEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// Close closes the file and gives its buffers back: nothing read from it
// may be used after.
func (r *plainReader) Close() error {
	if r.bufs != nil {
		r.bufs.br.Reset(nil)
		openPool.Put(r.bufs)
		r.bufs, r.src, r.tail = nil, nil, nil
	}
	return r.file.Close()
}

// TempDir is a folder on the store's disk for work that is renamed into
// place when complete.
func (s *Store) TempDir() string {
	dir := filepath.Join(s.dir, "tmp")
	_ = os.MkdirAll(dir, 0o700) // a failure shows at the first write there
	return dir
}

func (s *Store) path(sum string) string { return filepath.Join(s.dir, sum[:2], sum) }

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
	_ = d.Sync() // not every file system can sync a folder; the rename stands anyway
	return nil
}
