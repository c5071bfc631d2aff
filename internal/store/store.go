// Package store opens the application's SQLite database and runs the schema
// migrations. Each business area owns its own tables and migrations; store
// only knows how to open, migrate and run transactions.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// FileName is the database file inside the data folder.
const FileName = "huicai.db"

// ErrNotFound is returned by lookups that find nothing.
var ErrNotFound = errors.New("not found")

// ErrNotDatabase means the database file exists but is not SQLite.
var ErrNotDatabase = errors.New("not a huicai database")

// ErrNewerSchema means the database was written by a newer binary.
var ErrNewerSchema = errors.New("database schema is newer than this program")

// ErrNotWritable means the data folder cannot be created or written.
var ErrNotWritable = errors.New("data folder is not writable")

// DB is the application's database. Writes (Exec, transactions) go
// through one connection, so writers never contend with each other inside
// the process; other processes are waited for through busy_timeout. Reads
// outside a transaction (QueryContext, QueryRowContext) go to a pool of
// read-only connections, which WAL lets run beside the writer and each
// other: a list never queues behind a save or another list.
type DB struct {
	*sql.DB
	// read is the pool of read-only connections.
	read *sql.DB
	// counts remembers list counts until the next write.
	counts *counts
	// anchors remembers rows of lists until the next write (see List).
	anchors *anchors
	Path    string
	// afterCommit runs after every committed Tx (see OnCommit).
	afterCommit []func(ctx context.Context)
}

// OnCommit adds fn to what runs after every transaction Tx commits, such as
// keeping a copy of the audit log's head outside the database. Set it up
// before the database is shared.
func (db *DB) OnCommit(fn func(ctx context.Context)) { db.afterCommit = append(db.afterCommit, fn) }

// Open opens (creating if needed) the database in dataDir and applies the
// migrations. It refuses a file that is not SQLite and a schema newer than
// the migrations it knows, leaving the file untouched in both cases.
func Open(ctx context.Context, dataDir string, migrations []Migration) (*DB, error) {
	if err := EnsureWritableDir(dataDir); err != nil {
		return nil, err
	}
	path := filepath.Join(dataDir, FileName)
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	if err := ownerOnly(path); err != nil {
		return nil, err
	}
	writer, err := sql.Open("sqlite", dsn(path, "_txlock=immediate", "journal_mode(WAL)", "synchronous(FULL)", "secure_delete(1)"))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetConnMaxLifetime(0)
	db := &DB{DB: writer, Path: path, counts: &counts{}, anchors: &anchors{}}
	if err := db.PingContext(ctx); err != nil {
		writer.Close()
		if strings.Contains(err.Error(), "not a database") {
			return nil, fmt.Errorf("store: %s: %w", path, ErrNotDatabase)
		}
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if db.read, err = openReaders(path); err != nil {
		writer.Close()
		return nil, err
	}
	if err := migrate(ctx, db, migrations); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Readers is how many read-only connections a database keeps at most:
// enough for every core plus a few waiting on the disk.
var Readers = max(4, 2*runtime.NumCPU())

// openReaders opens the pool of read-only connections. query_only refuses
// any write, so a write sent to the pool by mistake fails loudly instead of
// racing the writer. Idle connections are closed after a minute, giving
// their page caches back.
func openReaders(path string) (*sql.DB, error) {
	read, err := sql.Open("sqlite", dsn(path, "query_only(1)"))
	if err != nil {
		return nil, fmt.Errorf("store: open readers %s: %w", path, err)
	}
	read.SetMaxOpenConns(Readers)
	read.SetMaxIdleConns(Readers)
	read.SetConnMaxIdleTime(time.Minute)
	return read, nil
}

// dsn is the connection string for the database at path, with the
// settings every connection shares and extra: driver options
// (name=value) and pragmas (name(value)).
func dsn(path string, extra ...string) string {
	params := []string{"_pragma=busy_timeout(10000)", "_pragma=foreign_keys(1)"}
	for _, e := range extra {
		if strings.Contains(e, "(") {
			e = "_pragma=" + e
		}
		params = append(params, e)
	}
	return "file:" + filepath.ToSlash(path) + "?" + strings.Join(params, "&")
}

// QueryContext runs a query on a read-only connection.
func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.read.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a query expected to return at most one row on a
// read-only connection.
func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return db.read.QueryRowContext(ctx, query, args...)
}

// WriteRowContext runs a write that returns a row (INSERT … RETURNING) on
// the writer.
func (db *DB) WriteRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	defer db.counts.wrote()
	return db.DB.QueryRowContext(ctx, query, args...)
}

// ReleaseMemory hands the page caches back to the system before work that
// needs the memory more: it closes the idle read-only connections, a few
// megabytes each after long reads (the pool opens them again as needed),
// and empties the writer's cache.
func (db *DB) ReleaseMemory(ctx context.Context) error {
	db.read.SetMaxIdleConns(0)
	db.read.SetMaxIdleConns(Readers)
	_, err := db.DB.ExecContext(ctx, `PRAGMA shrink_memory`)
	return err
}

// Close closes the read-only connections, then folds the write-ahead log
// into the database file and closes the writer. Folding it while no reader
// holds a snapshot leaves no older copy of a page in the log (with
// secure_delete, none in the file either), as the single connection did
// before readers had their own.
func (db *DB) Close() error {
	readers := db.read.Close()
	_, fold := db.DB.ExecContext(context.Background(), `PRAGMA wal_checkpoint(TRUNCATE)`)
	return errors.Join(readers, fold, db.DB.Close())
}

// ownerOnly creates the database file readable by its owner only, or makes
// an existing one (and its WAL and shared-memory files) so. SQLite gives
// the files it creates beside a database the database's own permissions.
func ownerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDONLY, 0o600)
	if err != nil {
		return fmt.Errorf("store: %w: %s: %v", ErrNotWritable, path, err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("store: %w: %s: %v", ErrNotWritable, p, err)
		}
	}
	return nil
}

// sqliteHeader starts every SQLite 3 database file.
const sqliteHeader = "SQLite format 3\x00"

// checkHeader refuses an existing non-empty file that is not SQLite before
// the driver gets a chance to touch it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer f.Close()
	buf := make([]byte, len(sqliteHeader))
	n, _ := f.Read(buf)
	if n == 0 {
		return nil
	}
	if string(buf[:n]) != sqliteHeader {
		return fmt.Errorf("store: %s: %w", path, ErrNotDatabase)
	}
	return nil
}

// EnsureWritableDir creates dir if needed and proves a file can be written there.
func EnsureWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("store: %w: %s: %v", ErrNotWritable, dir, err)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("store: %w: %s: %v", ErrNotWritable, dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// Tx runs fn inside a write transaction, committing when fn returns nil.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	err = tx.Commit()
	db.counts.wrote()
	if err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	for _, fn := range db.afterCommit {
		fn(ctx)
	}
	return nil
}

// Querier is what both *sql.DB and *sql.Tx offer for reading and writing.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
