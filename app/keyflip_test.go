package app

import (
	"errors"
	"os"
	"strings"
	"testing"

	"huicai/internal/vault"
)

// TestAFlippedByteInTheKeyIsFoundAtStartUp damages each half of the data
// key by one bit: the key check covers the index half, the sealed check
// the encryption half. Either way the folder does not open (the desktop
// shows its repair page), rather than opening and failing every request.
func TestAFlippedByteInTheKeyIsFoundAtStartUp(t *testing.T) {
	dir := closedFixture(t)
	keyPath := vault.KeyPath(dir)
	good, _ := os.ReadFile(keyPath)
	key, err := vault.LoadKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	dbBefore := rawDatabase(t, dir)
	for _, at := range []int{0, 31, 32, 63} {
		damaged := append([]byte(nil), key...)
		damaged[at] ^= 0x01
		if err := vault.SaveKey(dir, damaged); err != nil {
			t.Fatal(err)
		}
		err := openErr(dir)
		if !errors.Is(err, vault.ErrBadKeyFile) && !errors.Is(err, vault.ErrKeyMismatch) {
			t.Errorf("byte %d flipped: opened (%v)", at, err)
			continue
		}
		if msg := DescribeOpenError(dir, err); !strings.Contains(msg, "huicai key restore") || !keyProblem(err) {
			t.Errorf("byte %d flipped: %q", at, msg)
		}
	}
	if string(dbBefore) != string(rawDatabase(t, dir)) {
		t.Error("refused opens changed the database")
	}
	os.WriteFile(keyPath, good, 0o600)
	if err := openErr(dir); err != nil {
		t.Errorf("the right key: %v", err)
	}
}
