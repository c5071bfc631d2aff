//go:build windows

package app

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"huicai/internal/apperr"
)

// holdOpen opens path as Excel and WPS open a workbook, without sharing
// write or delete, until the test ends (or release is called).
func holdOpen(t *testing.T, path string) (release func()) {
	t.Helper()
	name, err := syscall.UTF16PtrFromString(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := syscall.CreateFile(name, syscall.GENERIC_READ|syscall.GENERIC_WRITE, 0, nil, syscall.OPEN_EXISTING, syscall.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		t.Fatalf("open %s without sharing: %v", path, err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			syscall.CloseHandle(h)
		}
	}
	t.Cleanup(release)
	return release
}

// chineseDir is a fresh folder with Chinese characters and spaces in its
// path, as office PCs have them. It is removed file by file at the end:
// t.TempDir's clean-up (os.RemoveAll) asks for POSIX delete semantics
// (FileDispositionInformationEx), which Wine 8, where the Windows lane runs
// these tests, does not have.
func chineseDir(t *testing.T) string {
	base, err := os.MkdirTemp("", "huicai-windows-test-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeTree(base) })
	dir := filepath.Join(base, "用户 数据", "惠才通 导出")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func wantInUse(t *testing.T, err error, name string) {
	t.Helper()
	var ae *apperr.Error
	want := "文件 " + name + " 正被其他程序（如 Excel、WPS）打开，请关闭后再保存"
	if !errors.As(err, &ae) || ae.Message != want {
		t.Fatalf("error %v, want %q", err, want)
	}
}

func wantContent(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Fatalf("%s holds %q (%v), want %q", path, got, err, want)
	}
}

func wantEntries(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if len(got) != len(want) {
		t.Fatalf("%s holds %q, want %q", dir, got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s holds %q, want %q", dir, got, want)
		}
	}
}

// TestWindowsSaveOntoOpenFile: saving (提交包, 备份, 审计日志 …) onto a file
// another program holds open names the file in Chinese and leaves the old
// file and the folder exactly as they were; once it is closed the save works.
func TestWindowsSaveOntoOpenFile(t *testing.T) {
	dir := chineseDir(t)
	dest := filepath.Join(dir, "山东大学 提交包 2026.zip")
	if err := os.WriteFile(dest, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	release := holdOpen(t, dest)

	wantInUse(t, writeAtomically(dest, writeString("new")), "山东大学 提交包 2026.zip")
	release()
	wantContent(t, dest, "old")
	wantEntries(t, dir, "山东大学 提交包 2026.zip")

	if err := writeAtomically(dest, writeString("new")); err != nil {
		t.Fatalf("save after closing: %v", err)
	}
	wantContent(t, dest, "new")
	wantEntries(t, dir, "山东大学 提交包 2026.zip")
}

// TestWindowsExportOntoOpenFolder: exporting a batch again while a workbook
// of the last export is open names it and keeps the last export whole.
func TestWindowsExportOntoOpenFolder(t *testing.T) {
	dir := chineseDir(t)
	dest := filepath.Join(dir, "HC2026001-导出材料")
	old := filepath.Join(dest, "申请表", "王堃 申请表.pdf")
	sheet := filepath.Join(dest, "惠才卡申领汇总表.xlsx")
	for _, p := range []string{old, sheet} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	fresh := func() string {
		tmp, err := os.MkdirTemp(dir, ".huicai-export-*")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, "惠才卡申领汇总表.xlsx"), []byte("new"), 0o600); err != nil {
			t.Fatal(err)
		}
		return tmp
	}
	release := holdOpen(t, sheet)

	tmp := fresh()
	wantInUse(t, replaceDir(tmp, dest), "惠才卡申领汇总表.xlsx")
	removeTree(tmp) // saveExports removes its unfinished export too
	release()
	wantContent(t, sheet, "old")
	wantContent(t, old, "old")
	wantEntries(t, dir, "HC2026001-导出材料")

	// Once closed, the export replaces the old one. (The old folder, moved
	// aside, is then removed with os.RemoveAll: not checked here, as under
	// Wine 8 that fails, see chineseDir.)
	if err := replaceDir(fresh(), dest); err != nil {
		t.Fatalf("export after closing: %v", err)
	}
	wantContent(t, sheet, "new")
	wantEntries(t, dest, "惠才卡申领汇总表.xlsx")
}
