package app

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/testdb"
)

// fullDisk mounts a small tmpfs over dir and fills it, so that writes there
// fail with ENOSPC as on a full disk. It needs root (CI runs as root).
func fullDisk(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small file system needs root")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	filler, _ := os.Create(filepath.Join(dir, "filler"))
	for {
		if _, err := filler.Write(make([]byte, 4096)); err != nil {
			break
		}
	}
	filler.Close()
}

func TestAnUploadOntoAFullDiskSaysSoAndSavesNothing(t *testing.T) {
	f := newRoleFixture(t)
	before := testdb.Snapshot(t, f.a.db)
	fullDisk(t, filepath.Join(f.a.dataDir, "files"))
	r := upload(f, account.RoleCommissioner, "学位证书.pdf", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 64<<10)...))
	if r.Status != 507 || !strings.Contains(r.Raw, `"disk_full"`) || !strings.Contains(r.Raw, "磁盘空间不足：本次操作的内容没有保存") {
		t.Fatalf("an upload onto a full disk: %d %s", r.Status, r.Raw)
	}
	if testdb.Snapshot(t, f.a.db) != before {
		t.Error("the refused upload changed data")
	}
}
