package backup_test

import (
	"os"
	"testing"
)

func TestBackupArchivesAreReadableByTheOwnerOnly(t *testing.T) {
	db, dir := installation(t)
	info, err := os.Stat(write(t, db, dir))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("backup archive is %o, want 600", perm)
	}
}
