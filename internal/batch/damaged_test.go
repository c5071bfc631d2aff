package batch_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"huicai/internal/batch"
	"huicai/internal/card"
	"huicai/internal/files"
	"huicai/internal/testdb"
)

// TestADamagedStoredDocumentIsNotPackaged: packaging reads each stored
// document once, checking it as it goes (files.Open), so a document
// changed on disk is found only at its end; the submission must still
// fail, change nothing and leave no package.
func TestADamagedStoredDocumentIsNotPackaged(t *testing.T) {
	for name, damage := range map[string]func(path, other string){
		"a byte changed": func(path, _ string) {
			raw, _ := os.ReadFile(path)
			raw[len(raw)-20] ^= 1
			os.WriteFile(path, raw, 0o600)
		},
		"another paper under its name": func(path, other string) {
			raw, _ := os.ReadFile(other)
			os.WriteFile(path, raw, 0o600)
		},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, 2)
			b := f.create(t)
			if _, err := f.svc.Export(ctx, card.Kind, f.leader, b.ID, "", noProgress); err != nil {
				t.Fatal(err)
			}
			f.scan(t, b.ID)
			exports, _ := batch.Exports(ctx, f.svc.DB, b.ID)
			last, other := exports[len(exports)-1].File, exports[len(exports)-2].File
			damage(storedPath(f.svc.Files, last), storedPath(f.svc.Files, other))
			before := testdb.Snapshot(t, f.svc.DB)
			_, err := f.svc.Submit(ctx, card.Kind, f.leader, b.ID, testdb.Password, "", noProgress)
			if !errors.Is(err, files.ErrDamaged) {
				t.Errorf("submit with a damaged paper: %v", err)
			}
			if testdb.Snapshot(t, f.svc.DB) != before {
				t.Error("the failed submit changed data")
			}
			if left, _ := os.ReadDir(f.svc.PackagesDir); len(left) != 0 {
				t.Errorf("the failed submit left %v", left)
			}
		})
	}
}

// storedPath is where s keeps f's sealed bytes.
func storedPath(s *files.Store, f files.File) string {
	return filepath.Join(filepath.Dir(s.TempDir()), f.SHA256[:2], f.SHA256)
}
