package files

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSyncEachReportsAMissingFile: where there is no syncfs, each file is
// synced, and one that cannot be is an error, not a silent success.
func TestSyncEachReportsAMissingFile(t *testing.T) {
	dir := t.TempDir()
	there := filepath.Join(dir, "there")
	os.WriteFile(there, []byte("x"), 0o600)
	if err := syncEach([]string{there}); err != nil {
		t.Errorf("a file there: %v", err)
	}
	if err := syncEach([]string{there, filepath.Join(dir, "gone")}); err == nil {
		t.Error("a missing file was synced")
	}
}
