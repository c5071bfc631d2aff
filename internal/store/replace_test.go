package store

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReplaceFileReplacesWholeAndPrivately(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.head")
	for _, content := range []string{"first, longer content\n", "second\n"} {
		if err := ReplaceFile(path, []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		if string(got) != content {
			t.Fatalf("file holds %q, want %q", got, content)
		}
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	if _, err := os.Stat(path + ".partial"); !os.IsNotExist(err) {
		t.Errorf("the temporary file was left behind: %v", err)
	}
	if err := ReplaceFile(filepath.Join(path, "no-such-folder", "x"), []byte("x")); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}
