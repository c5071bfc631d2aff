package app

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huicai/internal/account"
)

// exportedBatch makes a batch of the fixture's application and exports it;
// it answers the batch's path and its exports as the batch view lists them.
func exportedBatch(t *testing.T, f *roleFixture) (string, []any) {
	t.Helper()
	f.approve(t)
	l := f.tokens[account.RoleLeader]
	r := call(t, f.h, "POST", "/api/batches", l, fmt.Sprintf(`{"kind":"card","item_ids":[%d],"contact_person":"张三","contact_phone":"0531-88364000"}`, f.app))
	if r.Status != 200 {
		t.Fatalf("create: %s", r.Raw)
	}
	base := fmt.Sprintf("/api/batches/%d", int64(r.Body["id"].(float64)))
	if s := f.waitJob(t, call(t, f.h, "POST", base+"/export", l, "")); s["state"] != "done" {
		t.Fatalf("export: %v", s)
	}
	exports, _ := call(t, f.h, "GET", base, l, "").Body["exports"].([]any)
	if len(exports) < 3 {
		t.Fatalf("exports: %v", exports)
	}
	return base, exports
}

// TestEachExportedPaperOnItsOwn: every paper can be read inline (a browser
// tab), downloaded, saved and opened in the system's viewer by itself, with
// the same bytes as in the zip.
func TestEachExportedPaperOnItsOwn(t *testing.T) {
	f := newRoleFixture(t)
	base, exports := exportedBatch(t, f)
	l := f.tokens[account.RoleLeader]
	for _, e := range exports {
		e := e.(map[string]any)
		name := e["name"].(string)
		file := e["file"].(map[string]any)
		paper := fmt.Sprintf("%s/exports/%d", base, int64(file["id"].(float64)))
		short := filepath.Base(name)

		content := rawAnswer(f, "GET", paper+"/content")
		if content.Code != 200 || int64(content.Body.Len()) != int64(file["size"].(float64)) {
			t.Fatalf("%s content: %d, %d bytes", name, content.Code, content.Body.Len())
		}
		if d := content.Header().Get("Content-Disposition"); !strings.HasPrefix(d, "inline") || !strings.Contains(d, url.PathEscape(short)) {
			t.Errorf("%s content disposition %q", name, d)
		}
		download := rawAnswer(f, "GET", paper+"/download")
		if download.Code != 200 || !bytes.Equal(download.Body.Bytes(), content.Body.Bytes()) ||
			!strings.HasPrefix(download.Header().Get("Content-Disposition"), "attachment") {
			t.Errorf("%s download: %d %q", name, download.Code, download.Header().Get("Content-Disposition"))
		}
		saved := call(t, f.h, "POST", paper+"/save", l, "")
		where, _ := saved.Body["path"].(string)
		if data, err := os.ReadFile(where); err != nil || !bytes.Equal(data, content.Body.Bytes()) || filepath.Base(where) != short {
			t.Errorf("%s saved to %q: %v", name, where, err)
		}
		if o := call(t, f.h, "POST", paper+"/open", l, ""); o.Status != 200 {
			t.Errorf("%s open: %s", name, o.Raw)
		}
	}
}

// TestAPaperOutsideTheBatchIsNotFound: a stored file that is not one of
// the batch's exports (an applicant's attachment, a made-up number, no
// number) is 404, whatever the route.
func TestAPaperOutsideTheBatchIsNotFound(t *testing.T) {
	f := newRoleFixture(t)
	base, _ := exportedBatch(t, f)
	var attachment int64
	f.a.db.QueryRow(`SELECT MIN(id) FROM files`).Scan(&attachment)
	for _, id := range []string{"999999", fmt.Sprint(attachment), "abc"} {
		for _, route := range []string{"GET /content", "GET /download", "POST /save", "POST /open"} {
			method, tail, _ := strings.Cut(route, " ")
			path := base + "/exports/" + id + tail
			if r := rawAnswer(f, method, path); r.Code != 404 {
				t.Errorf("%s %s: %d %s", method, path, r.Code, r.Body)
			}
		}
	}
}

// rawAnswer is the leader's whole answer to a request without a body.
func rawAnswer(f *roleFixture, method, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens[account.RoleLeader])
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}
