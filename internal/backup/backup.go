// Package backup writes and restores whole-installation backups: a
// consistent snapshot of the database (VACUUM INTO), every stored document
// and package, and a manifest with their SHA-256 hashes. A backup is checked
// after it is written; a restore checks the archive first, keeps a copy of
// the current data, and leaves the current data exactly as it was if
// anything fails. The data key is not in a backup: the archive is useless
// without the installation's key (or its recovery copy).
package backup

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"huicai/internal/clock"
	"huicai/internal/store"
)

// Format marks a backup manifest.
const Format = "huicai-backup"

// Entry is one file in a backup.
type Entry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest describes a backup.
type Manifest struct {
	Format        string  `json:"format"`
	FormatVersion int     `json:"format_version"`
	CreatedAt     string  `json:"created_at"`
	SchemaVersion int     `json:"schema_version"`
	KeyCheck      string  `json:"key_check"`
	Entries       []Entry `json:"entries"`
}

const (
	manifestName = "manifest.json"
	databaseName = "huicai.db"
)

// folders are the data folder's subfolders a backup carries.
var folders = []string{"files", "packages"}

// Create is how a backup file is created; tests replace it to simulate a
// full disk.
type Create func(name string) (io.WriteCloser, error)

// Options tune a backup.
type Options struct {
	Create   Create
	KeyCheck string
	Schema   int
}

// Write backs the installation in dataDir up to dest. It writes dest only
// once the archive is complete and checked: a failure leaves nothing.
func Write(ctx context.Context, db *store.DB, dataDir, dest string, opt Options) (Manifest, error) {
	if opt.Create == nil {
		opt.Create = func(name string) (io.WriteCloser, error) {
			return os.OpenFile(name, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		}
	}
	work, err := os.MkdirTemp(filepath.Dir(dest), ".huicai-backup-*")
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(work)
	snapshot := filepath.Join(work, databaseName)
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, snapshot); err != nil {
		return Manifest{}, fmt.Errorf("backup: snapshot: %w", err)
	}
	if err := IntegrityCheck(ctx, snapshot); err != nil {
		return Manifest{}, err
	}
	sources := []source{{name: databaseName, disk: snapshot}}
	for _, dir := range folders {
		found, err := walk(dataDir, dir)
		if err != nil {
			return Manifest{}, err
		}
		sources = append(sources, found...)
	}
	m := Manifest{Format: Format, FormatVersion: 1, CreatedAt: clock.Now().UTC().Format(time.RFC3339), SchemaVersion: opt.Schema, KeyCheck: opt.KeyCheck}
	partial := filepath.Join(work, "backup.zip")
	if err := writeZip(ctx, opt.Create, partial, sources, &m); err != nil {
		return Manifest{}, err
	}
	if _, err := Check(ctx, partial); err != nil {
		return Manifest{}, fmt.Errorf("backup: the written archive does not check: %w", err)
	}
	if err := os.Rename(partial, dest); err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	return m, nil
}

type source struct{ name, disk string }

func walk(dataDir, dir string) ([]source, error) {
	var out []source
	root := filepath.Join(dataDir, dir)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dataDir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "files/tmp" {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || strings.HasSuffix(d.Name(), ".partial") {
			return nil
		}
		out = append(out, source{name: rel, disk: p})
		return nil
	})
	return out, err
}

func writeZip(ctx context.Context, create Create, dest string, sources []source, m *Manifest) error {
	f, err := create(dest)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	zw := zip.NewWriter(f)
	fail := func(err error) error {
		zw.Close()
		f.Close()
		return fmt.Errorf("backup: %w", err)
	}
	for _, s := range sources {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		e, err := addEntry(zw, s)
		if err != nil {
			return fail(err)
		}
		m.Entries = append(m.Entries, e)
	}
	data, _ := json.MarshalIndent(m, "", "  ")
	w, err := zw.Create(manifestName)
	if err != nil {
		return fail(err)
	}
	if _, err := w.Write(data); err != nil {
		return fail(err)
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return fmt.Errorf("backup: %w", err)
	}
	if s, ok := f.(interface{ Sync() error }); ok {
		if err := s.Sync(); err != nil {
			f.Close()
			return fmt.Errorf("backup: %w", err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

func addEntry(zw *zip.Writer, s source) (Entry, error) {
	in, err := os.Open(s.disk)
	if err != nil {
		return Entry{}, err
	}
	defer in.Close()
	method := zip.Store
	if s.name == databaseName {
		method = zip.Deflate
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: s.name, Method: method, Modified: clock.Now()})
	if err != nil {
		return Entry{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), in)
	if err != nil {
		return Entry{}, err
	}
	return Entry{Path: s.name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// IntegrityCheck runs SQLite's integrity_check on a database file.
func IntegrityCheck(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil || result != "ok" {
		return fmt.Errorf("backup: database integrity check failed: %v %s", err, result)
	}
	return nil
}

// Problem is what is wrong with a backup archive, in Chinese.
type Problem struct{ Msg string }

func (p *Problem) Error() string { return p.Msg }

func problem(format string, args ...any) error { return &Problem{Msg: fmt.Sprintf(format, args...)} }

// Check reads a whole archive and proves every entry matches its manifest.
func Check(ctx context.Context, archive string) (Manifest, error) {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return Manifest{}, problem("备份文件无法打开或已截断：%v", err)
	}
	defer zr.Close()
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		if f.Name != path.Clean(f.Name) || strings.HasPrefix(f.Name, "/") || strings.Contains(f.Name, "..") || strings.Contains(f.Name, `\`) {
			return Manifest{}, problem("备份中的文件名 %q 不安全", f.Name)
		}
		entries[f.Name] = f
	}
	mf, ok := entries[manifestName]
	if !ok {
		return Manifest{}, problem("备份中缺少清单 manifest.json")
	}
	var m Manifest
	rc, err := mf.Open()
	if err != nil {
		return Manifest{}, problem("备份清单无法读取：%v", err)
	}
	err = json.NewDecoder(io.LimitReader(rc, 64<<20)).Decode(&m)
	rc.Close()
	if err != nil || m.Format != Format || m.FormatVersion != 1 {
		return Manifest{}, problem("不是惠才通备份文件")
	}
	listed := map[string]bool{manifestName: true}
	for _, e := range m.Entries {
		if err := ctx.Err(); err != nil {
			return Manifest{}, err
		}
		listed[e.Path] = true
		f, ok := entries[e.Path]
		if !ok {
			return Manifest{}, problem("备份中缺少 %s", e.Path)
		}
		if err := checkEntry(f, e); err != nil {
			return Manifest{}, err
		}
	}
	if !listed[databaseName] {
		return Manifest{}, problem("备份中没有数据库")
	}
	for name := range entries {
		if !listed[name] {
			return Manifest{}, problem("备份中有清单未列出的文件 %s", name)
		}
	}
	return m, nil
}

func checkEntry(f *zip.File, e Entry) error {
	rc, err := f.Open()
	if err != nil {
		return problem("%s 无法读取：%v", e.Path, err)
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil || n != e.Size || hex.EncodeToString(h.Sum(nil)) != e.SHA256 {
		return problem("%s 已损坏或被改动（大小或 SHA-256 不符）", e.Path)
	}
	return nil
}
