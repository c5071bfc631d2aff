package app

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/testdb"
)

func upload(f *roleFixture, role account.Role, name string, data []byte) answer {
	req := httptest.NewRequest("POST", fmt.Sprintf("/api/applications/%d/attachments?kind=other", f.app), bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+f.tokens[role])
	req.Header.Set("X-File-Name", name)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return answer{Status: rec.Code, Raw: rec.Body.String()}
}

func storedFiles(t *testing.T, a *App) int {
	n := 0
	filepath.WalkDir(filepath.Join(a.dataDir, "files"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func TestUploadRefusesBadFilesAndChangesNothing(t *testing.T) {
	f := newRoleFixture(t)
	before := testdb.Snapshot(t, f.a.db)
	filesBefore := storedFiles(t, f.a)
	cases := []struct {
		name   string
		data   []byte
		status int
		msg    string
	}{
		{"setup.pdf", []byte("MZ\x90\x00this is a Windows program"), 400, "只能上传 PDF、JPG 或 PNG 文件"},
		{"empty.pdf", nil, 400, "文件是空的"},
		{"big.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 20<<20)...), 413, "文件超过20MB"},
	}
	for _, c := range cases {
		r := upload(f, account.RoleCommissioner, c.name, c.data)
		if r.Status != c.status || !strings.Contains(r.Raw, c.msg) {
			t.Errorf("%s: %d %s", c.name, r.Status, r.Raw)
		}
	}
	if testdb.Snapshot(t, f.a.db) != before || storedFiles(t, f.a) != filesBefore {
		t.Error("refused uploads changed data or left files")
	}
}

func TestDesktopOnlyRoutesInABrowser(t *testing.T) {
	f := newRoleFixture(t)
	h := f.a.API() // no native dialogs: a browser
	c := f.tokens[account.RoleCommissioner]
	r := call(t, h, "POST", fmt.Sprintf("/api/applications/%d/attachments/choose", f.app), c, `{"kind":"other"}`)
	if r.Status != 404 || !strings.Contains(r.Raw, "仅在桌面版中可用") {
		t.Errorf("choose in a browser: %d %s", r.Status, r.Raw)
	}
	// A browser must never make the server read a local path.
	r = call(t, h, "POST", fmt.Sprintf("/api/applications/%d/attachments/dropped", f.app), c, `{"kind":"other","path":"/etc/passwd"}`)
	if r.Status != 404 {
		t.Errorf("dropped path in a browser: %d %s", r.Status, r.Raw)
	}
}

func TestDeleteAttachment(t *testing.T) {
	f := newRoleFixture(t)
	path := fmt.Sprintf("/api/applications/%d/attachments/%d", f.app, f.attachment)
	for _, role := range []account.Role{account.RoleLeader, account.RoleTalent} {
		if r := call(t, f.h, "DELETE", path, f.tokens[role], ""); r.Status != 403 {
			t.Errorf("DELETE as %s: %d", role, r.Status)
		}
	}
	if r := call(t, f.h, "DELETE", path, f.tokens[account.RoleCommissioner], ""); r.Status != 200 {
		t.Fatalf("DELETE as commissioner: %d %s", r.Status, r.Raw)
	}
	if r := call(t, f.h, "GET", path+"/content", f.tokens[account.RoleLeader], ""); r.Status != 404 {
		t.Errorf("deleted attachment still served: %d", r.Status)
	}
}
