//go:build windows

package vault

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWindowsKeyFileUnderDPAPI: the key file keeps the key only in its
// DPAPI-protected form, in a data folder whose path has Chinese characters
// and spaces, and it loads back; a damaged protected blob is refused as
// ErrBadKeyFile (what a key file of another Windows user looks like).
// Another user's refusal itself is proved across Wine prefixes by the
// Windows lane (e2e/tests/windows.test.mjs).
func TestWindowsKeyFileUnderDPAPI(t *testing.T) {
	base, err := os.MkdirTemp("", "huicai-vault-test-*")
	if err != nil {
		t.Fatal(err)
	}
	defer removeTree(base)
	dir := filepath.Join(base, "用户 数据", "惠才通 数据")
	key, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := SaveKey(dir, key); err != nil {
		t.Fatalf("SaveKey: %v", err)
	}
	raw, err := os.ReadFile(KeyPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	protected, err := base64.StdEncoding.DecodeString(strings.TrimSpace(strings.TrimPrefix(string(raw), keyHeader)))
	if err != nil {
		t.Fatalf("key file: %v", err)
	}
	if bytes.Contains(protected, key[:16]) || len(protected) <= len(key) {
		t.Fatal("the key file holds the key unprotected")
	}
	got, err := LoadKey(dir)
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("LoadKey: %v", err)
	}

	protected[len(protected)/2] ^= 0xff
	damaged := keyHeader + base64.StdEncoding.EncodeToString(protected) + "\n"
	if err := os.WriteFile(KeyPath(dir), []byte(damaged), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKey(dir); !errors.Is(err, ErrBadKeyFile) {
		t.Fatalf("a damaged key file: %v, want ErrBadKeyFile", err)
	}
}

// removeTree removes a folder and everything in it with os.Remove
// (os.RemoveAll needs POSIX delete semantics, which Wine 8 lacks).
func removeTree(path string) {
	entries, _ := os.ReadDir(path)
	for _, e := range entries {
		removeTree(filepath.Join(path, e.Name()))
	}
	os.Remove(path)
}
