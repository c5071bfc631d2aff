package app

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"huicai/internal/testkit"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/testdb"
)

// Personal data put into uploaded documents for the grep test: an ID
// number (also sealed in the database) and a name that is nowhere else.
var (
	markerID   = testdb.ResidentID("19750601", 1, true)
	markerName = "欧阳娜娜"
)

func markedPDF(what string) []byte {
	return []byte("%PDF-1.4\n% " + what + " 姓名 " + markerName + " 公民身份号码 " + markerID + "\n%%EOF\n")
}

var (
	markedPNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "tEXt "+markerName+" "+markerID...)
	markedJPG = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), "COM "+markerName+" "+markerID...)
)

// viewer records what the desktop asked the system's viewer to open.
type viewer struct {
	fakeDesktop
	opened *string
}

func (v viewer) OpenWithSystem(path string) error { *v.opened = path; return nil }

func attachmentID(t *testing.T, r answer) int64 {
	t.Helper()
	var body struct{ ID int64 }
	if json.Unmarshal([]byte(r.Raw), &body); r.Status != 200 || body.ID == 0 {
		t.Fatalf("upload: %d %s", r.Status, r.Raw)
	}
	return body.ID
}

func TestDocumentsAreSealedOnDisk(t *testing.T) {
	f := newRoleFixture(t)
	l, c := f.tokens[account.RoleLeader], f.tokens[account.RoleCommissioner]
	uploads := map[int64][]byte{}
	for name, data := range map[string][]byte{"身份证.pdf": markedPDF("ID card"), "证件照.png": markedPNG, "职称证书.jpg": markedJPG} {
		uploads[attachmentID(t, upload(f, account.RoleCommissioner, url.QueryEscape(name), data))] = data
	}
	var opened string
	desktop := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.a.API().ServeHTTP(w, r.WithContext(withNativeFiles(r.Context(), viewer{fakeDesktop{f.scanPath}, &opened})))
	})
	for id, data := range uploads {
		base := fmt.Sprintf("/api/applications/%d/attachments/%d", f.app, id)
		if r := call(t, f.h, "GET", base+"/content", c, ""); r.Status != 200 || r.Raw != string(data) {
			t.Errorf("browser download of attachment %d: %d, %d bytes", id, r.Status, len(r.Raw))
		}
		if r := call(t, desktop, "POST", base+"/open", c, ""); r.Status != 200 {
			t.Fatalf("open attachment %d: %s", id, r.Raw)
		}
		checkViewerCopy(t, opened, data)
	}

	f.approve(t)
	r := call(t, f.h, "POST", "/api/batches", l, fmt.Sprintf(`{"kind":"card","item_ids":[%d],"contact_person":"张三","contact_phone":"0531-88364000"}`, f.app))
	base := fmt.Sprintf("/api/batches/%v", r.Body["id"])
	if s := f.waitJob(t, call(t, f.h, "POST", base+"/export", l, "")); s["state"] != "done" {
		t.Fatalf("export: %v", s)
	}
	scan := markedPDF("stamped summary")
	if s := raw(f, "POST", base+"/scan", scan); s.Status != 200 {
		t.Fatalf("scan: %s", s.Raw)
	}
	if r := call(t, f.h, "GET", base+"/scan/content", l, ""); r.Raw != string(scan) {
		t.Errorf("browser download of the scan: %d bytes", len(r.Raw))
	}
	if r := call(t, desktop, "POST", base+"/scan/open", l, ""); r.Status != 200 {
		t.Fatalf("open scan: %s", r.Raw)
	}
	checkViewerCopy(t, opened, scan)
	checkExportsArePlain(t, f, base)

	scanDataFolder(t, f.a.dataDir)
	testkit.CheckPrivate(t, filepath.Join(f.a.dataDir, "files"))
}

// checkViewerCopy checks the copy made for the system's viewer: the plain
// bytes, readable by this user only, in a folder of its own.
func checkViewerCopy(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("viewer copy %s: %d bytes, %v", path, len(got), err)
	}
	file, _ := os.Stat(path)
	dir, _ := os.Stat(filepath.Dir(path))
	if file == nil || dir == nil || file.Mode().Perm() != 0o600 || dir.Mode().Perm() != 0o700 {
		t.Errorf("viewer copy %s is not private: %v %v", path, file, dir)
	}
	os.RemoveAll(filepath.Dir(path))
}

// checkExportsArePlain checks that the exports a user downloads or saves
// are the papers themselves.
func checkExportsArePlain(t *testing.T, f *roleFixture, base string) {
	t.Helper()
	d := raw(f, "GET", base+"/exports/download", nil)
	zr, err := zip.NewReader(bytes.NewReader([]byte(d.Raw)), int64(len(d.Raw)))
	if err != nil || len(zr.File) == 0 {
		t.Fatalf("exports zip: %d %v", d.Status, err)
	}
	for _, e := range zr.File {
		rc, _ := e.Open()
		head := make([]byte, 4)
		io.ReadFull(rc, head)
		rc.Close()
		if string(head) != "%PDF" && string(head) != "PK\x03\x04" {
			t.Errorf("downloaded export %s starts with %q", e.Name, head)
		}
	}
	s := call(t, f.h, "POST", base+"/exports/save", f.tokens[account.RoleLeader], "")
	saved, _ := s.Body["path"].(string)
	if pdf, err := os.ReadFile(filepath.Join(saved, "惠才卡申领汇总表.pdf")); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("saved export: %v", err)
	}
}

// scanDataFolder fails if any file in the data folder, except the sealed
// packages (the user's deliberate copies), holds the marked personal data,
// or if any stored document is a PDF, image or spreadsheet in the clear.
func scanDataFolder(t *testing.T, dir string) {
	t.Helper()
	magic := []string{"%PDF", "\x89PNG", "\xff\xd8\xff", "PK\x03\x04"}
	scanned := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() && rel == "packages" {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		data, _ := os.ReadFile(p)
		scanned++
		for _, m := range []string{markerID, markerName} {
			if bytes.Contains(data, []byte(m)) {
				t.Errorf("%s holds %s in the clear", rel, m)
			}
		}
		for _, m := range magic {
			if strings.HasPrefix(rel, "files"+string(filepath.Separator)) && bytes.HasPrefix(data, []byte(m)) {
				t.Errorf("%s is a document in the clear (%q)", rel, m)
			}
		}
		return nil
	})
	if scanned < 10 {
		t.Errorf("only %d files scanned: is the test looking at the right folder?", scanned)
	}
}

func TestDisguisingAttachmentNamesAreRefused(t *testing.T) {
	f := newRoleFixture(t)
	before, filesBefore := testdb.Snapshot(t, f.a.db), storedFiles(t, f.a)
	for _, name := range []string{"invoice%E2%80%AEfdp.pdf", "%E8%BA%AB%E2%80%8B%E4%BB%BD.pdf", "%EF%BB%BFscan.pdf", "%FF%FEscan.pdf"} {
		r := upload(f, account.RoleCommissioner, name, markedPDF("disguised"))
		var body struct {
			Error struct{ Fields map[string]string }
		}
		json.Unmarshal([]byte(r.Raw), &body)
		if r.Status != 400 || !strings.Contains(body.Error.Fields["file"], "请重命名后再上传") {
			t.Errorf("%s: %d %s", name, r.Status, r.Raw)
		}
	}
	if testdb.Snapshot(t, f.a.db) != before || storedFiles(t, f.a) != filesBefore {
		t.Error("refused names changed data or left files")
	}
}

func TestDocumentsOfAnOlderVersionAreSealedAtStart(t *testing.T) {
	f := newRoleFixture(t)
	dir := f.a.dataDir
	stored, err := f.a.files.Put(bytes.NewReader(markedPDF("old")), "old.pdf")
	if err != nil {
		t.Fatal(err)
	}
	f.a.Close()
	path := filepath.Join(dir, "files", stored.SHA256[:2], stored.SHA256)
	os.WriteFile(path, markedPDF("old"), 0o644) // as versions before encryption kept it
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if raw, _ := os.ReadFile(path); bytes.Contains(raw, []byte(markerID)) {
		t.Error("a document stored in the clear is still in the clear after start-up")
	}
	in, err := a.files.Open(stored)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if back, _ := io.ReadAll(in); !bytes.Equal(back, markedPDF("old")) {
		t.Errorf("read back %q", back)
	}
	testkit.CheckPrivate(t, filepath.Join(dir, "files"))
}
