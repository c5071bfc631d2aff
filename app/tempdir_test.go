package app

import (
	"os"
	"path/filepath"
	"testing"
)

// wineSafeTempDir is t.TempDir for the tests that also run under Wine in
// the Windows lane: t.TempDir's clean-up (os.RemoveAll) asks for POSIX
// delete semantics (FileDispositionInformationEx), which Wine 8 lacks, so
// this folder is removed file by file instead.
func wineSafeTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "huicai-test-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeTree(dir) })
	return dir
}

// removeTree removes a folder and everything in it with os.Remove.
func removeTree(path string) {
	entries, _ := os.ReadDir(path)
	for _, e := range entries {
		removeTree(filepath.Join(path, e.Name()))
	}
	os.Remove(path)
}
