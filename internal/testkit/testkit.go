// Package testkit holds test helpers that depend on no business area, so
// that every package's tests can use them (internal/testdb, which opens
// migrated databases, depends on most areas and cannot be imported by
// them).
package testkit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// RecordSecurity writes the figures of one security test (forbidden calls
// tried, races run, tampered packages refused …) as name.json into the
// folder named by HUICAI_SECURITY_SUMMARY, for the test command's summary.
// Without that variable it does nothing.
func RecordSecurity(t testing.TB, name string, figures map[string]any) {
	t.Helper()
	dir := os.Getenv("HUICAI_SECURITY_SUMMARY")
	if dir == "" {
		return
	}
	data, err := json.Marshal(figures)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// CheckPrivate fails unless every file under dir is 0600 and every folder
// 0700: the data folder holds personal data.
func CheckPrivate(t testing.TB, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := os.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s is %v, want %v", p, info.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
