package testdb

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
