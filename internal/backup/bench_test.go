package backup_test

import (
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"huicai/internal/backup"
	"huicai/internal/store"
	"huicai/internal/testdb"
)

// BenchmarkBackup backs up an installation of 500 stored documents of
// 2 MB (random bytes: sealed documents do not compress) and a database of
// about 100 MB of text, and reports the time of "zip -r -q" over the same
// data folder beside it (issue 13: at most 1.2 times).
func BenchmarkBackup(b *testing.B) {
	if b.N > 1 {
		b.Skip("writes 1.1 GB a round: run with -benchtime 1x")
	}
	db, dir := bigInstallation(b)
	dest := filepath.Join(b.TempDir(), "backup.zip")
	var backupS float64
	for b.Loop() {
		start := time.Now()
		if _, err := backup.Write(ctx, db, dir, dest, opts()); err != nil {
			b.Fatal(err)
		}
		backupS = time.Since(start).Seconds()
	}
	b.ReportMetric(backupS, "backup-s")
	if zipS, err := zipR(dir, filepath.Join(b.TempDir(), "zip-r.zip")); err == nil {
		b.ReportMetric(zipS, "zip-r-s")
		b.ReportMetric(backupS/zipS, "x-zip-r")
	}
}

// bigInstallation is an installation of 500 stored documents of 2 MB
// (random bytes) and a database of about 100 MB of text.
func bigInstallation(b *testing.B) (*store.DB, string) {
	db := testdb.Open(b)
	dir := filepath.Dir(db.Path)
	if _, err := db.ExecContext(ctx, `CREATE TABLE bench_filler(id INTEGER PRIMARY KEY, body TEXT);
		INSERT INTO bench_filler(body) SELECT printf('{"application_id": %d, "name": "王堃", "department": "物理学院", "materials": "主持国家重点研发计划项目，发表高水平论文多篇。%d", "state": "unit_approved", "updated_at": "2026-11-29T08:00:00Z", "filler": "%s"}', x, x, hex(zeroblob(120)))
		FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 250000) SELECT x FROM c)`); err != nil {
		b.Fatal(err)
	}
	blob := make([]byte, 2<<20)
	for i := range 500 {
		rand.Read(blob)
		name := fmt.Sprintf("%064x", i)
		p := filepath.Join(dir, "files", name[62:], name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, blob, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	return db, dir
}

// zipR times "zip -r -q" of the data folder dir into dest.
func zipR(dir, dest string) (float64, error) {
	cmd := exec.Command("zip", "-r", "-q", dest, ".")
	cmd.Dir = dir
	start := time.Now()
	err := cmd.Run()
	return time.Since(start).Seconds(), err
}
