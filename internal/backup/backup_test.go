package backup_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"huicai/internal/backup"
	"huicai/internal/files"
	"huicai/internal/schema"
	"huicai/internal/store"
	"huicai/internal/testdb"
	"huicai/internal/vault"
)

var ctx = context.Background()

func installation(t *testing.T) (*store.DB, string) {
	t.Helper()
	db := testdb.Open(t)
	dir := filepath.Dir(db.Path)
	testdb.Leader(t, db)
	testdb.Department(t, db, "物理学院")
	s := files.NewStore(dir)
	if _, err := s.Put(bytes.NewReader([]byte("%PDF-1.4 scan")), "scan.pdf"); err != nil {
		t.Fatal(err)
	}
	return db, dir
}

func opts() backup.Options { return backup.Options{KeyCheck: vault.Check(), Schema: schema.Version()} }

func write(t *testing.T, db *store.DB, dir string) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "backup.zip")
	m, err := backup.Write(ctx, db, dir, dest, opts())
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Entries) != 2 || m.Entries[0].Path != "huicai.db" || !strings.HasPrefix(m.Entries[1].Path, "files/") {
		t.Errorf("entries %+v", m.Entries)
	}
	return dest
}

func TestBackupChecksAndDamageIsFound(t *testing.T) {
	db, dir := installation(t)
	dest := write(t, db, dir)
	if _, err := backup.Check(ctx, dest); err != nil {
		t.Fatalf("fresh backup: %v", err)
	}
	data, _ := os.ReadFile(dest)
	truncated := filepath.Join(t.TempDir(), "t.zip")
	os.WriteFile(truncated, data[:len(data)/2], 0o600)
	if _, err := backup.Check(ctx, truncated); err == nil {
		t.Error("a truncated backup checks")
	}
	i := storedFileOffset(t, dest)
	changed := append([]byte(nil), data...)
	changed[i+5] ^= 1
	flipped := filepath.Join(t.TempDir(), "f.zip")
	os.WriteFile(flipped, changed, 0o600)
	if _, err := backup.Check(ctx, flipped); err == nil {
		t.Error("a backup with a changed byte checks")
	}
}

// storedFileOffset is where the stored document's bytes start in archive.
func storedFileOffset(t *testing.T, archive string) int {
	t.Helper()
	zr, err := zip.OpenReader(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "files/") {
			off, err := f.DataOffset()
			if err != nil {
				t.Fatal(err)
			}
			return int(off)
		}
	}
	t.Fatal("no stored document in the backup")
	return 0
}

// fullDisk fails like a disk that has run out of space.
type fullDisk struct {
	f    *os.File
	left int
}

func (d *fullDisk) Write(p []byte) (int, error) {
	if len(p) > d.left {
		n, _ := d.f.Write(p[:d.left])
		d.left = 0
		return n, syscall.ENOSPC
	}
	d.left -= len(p)
	return d.f.Write(p)
}

func (d *fullDisk) Close() error { return d.f.Close() }

func TestFullDiskLeavesNoHalfWrittenArchive(t *testing.T) {
	db, dir := installation(t)
	out := t.TempDir()
	dest := filepath.Join(out, "backup.zip")
	_, err := backup.Write(ctx, db, dir, dest, backup.Options{KeyCheck: vault.Check(), Schema: schema.Version(),
		Create: func(name string) (io.WriteCloser, error) {
			f, err := os.Create(name)
			return &fullDisk{f: f, left: 4096}, err
		}})
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("full disk: %v", err)
	}
	if left, _ := os.ReadDir(out); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

func TestRestore(t *testing.T) {
	db, dir := installation(t)
	scan := []byte("%PDF-1.4 scan")
	stored, err := files.NewStore(dir).Put(bytes.NewReader(scan), "scan.pdf") // the installation's one document
	if err != nil {
		t.Fatal(err)
	}
	dest := write(t, db, dir)
	if archived, _ := os.ReadFile(dest); bytes.Contains(archived, scan[:5]) {
		t.Error("the backup carries a stored document in the clear")
	}
	testdb.Department(t, db, "备份之后新增的学院")
	db.Close()
	before := snapshotDir(t, dir)

	if _, err := backup.Restore(ctx, dest, dir, "another installation's key", schema.Version()); err == nil || !strings.Contains(err.Error(), "其他安装") {
		t.Errorf("another installation's backup: %v", err)
	}
	if _, err := backup.Restore(ctx, dest, dir, vault.Check(), schema.Version()-1); err == nil || !strings.Contains(err.Error(), "更新版本") {
		t.Errorf("a newer schema: %v", err)
	}
	if after := snapshotDir(t, dir); after != before {
		t.Errorf("refused restores changed the data folder:\n%s\n%s", before, after)
	}
	kept, err := backup.Restore(ctx, dest, dir, vault.Check(), schema.Version())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(kept, "huicai.db")); err != nil {
		t.Errorf("the data before the restore was not kept: %v", err)
	}
	all, _ := schema.All()
	restored, err := store.Open(ctx, dir, all)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	var n int
	restored.QueryRow(`SELECT COUNT(*) FROM departments WHERE name = '备份之后新增的学院'`).Scan(&n)
	if n != 0 {
		t.Error("the restore did not bring back the backed-up data")
	}
	in, err := files.NewStore(dir).Open(stored)
	if err != nil {
		t.Fatalf("a restored document: %v", err)
	}
	defer in.Close()
	if back, err := io.ReadAll(in); err != nil || !bytes.Equal(back, scan) {
		t.Errorf("a restored document reads %q: %v", back, err)
	}
}

// snapshotDir lists a data folder's files and sizes.
func snapshotDir(t *testing.T, dir string) string {
	var out []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			data, _ := os.ReadFile(p)
			out = append(out, fmt.Sprintf("%s %x", strings.TrimPrefix(p, dir), sha256.Sum256(data)))
		}
		return nil
	})
	return strings.Join(out, "\n")
}

func TestRotateKeepsTheNewest(t *testing.T) {
	dir := t.TempDir()
	for day := 1; day <= 9; day++ {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("huicai-backup-202611%02d.zip", day)), []byte("x"), 0o600)
	}
	os.WriteFile(filepath.Join(dir, "huicai-manual-20261101-120000.zip"), []byte("x"), 0o600)
	if err := backup.Rotate(dir, 7); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*.zip"))
	if len(left) != 8 || filepath.Base(left[0]) != "huicai-backup-20261103.zip" {
		t.Errorf("left %v", left)
	}
}
