package app

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"huicai/internal/account"
)

// TestADamagedDocumentIsNeitherServedNorOpened: stored files are checked
// as they are read (files.Open, one pass), so the first read comes before
// the answer's headers and the viewer's copy is thrown away on an error:
// a document changed on disk gets an error answer, not its bytes.
func TestADamagedDocumentIsNeitherServedNorOpened(t *testing.T) {
	f := newRoleFixture(t)
	c := f.tokens[account.RoleCommissioner]
	before := storedPaths(f.a)
	data := markedPDF("ID card")
	id := attachmentID(t, upload(f, account.RoleCommissioner, url.QueryEscape("身份证.pdf"), data))
	var stored string
	for p := range storedPaths(f.a) {
		if !before[p] {
			stored = p
		}
	}
	raw, err := os.ReadFile(stored)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)-20] ^= 1
	os.WriteFile(stored, raw, 0o600)

	base := fmt.Sprintf("/api/applications/%d/attachments/%d", f.app, id)
	if r := call(t, f.h, "GET", base+"/content", c, ""); r.Status == 200 || r.Raw == string(data) {
		t.Errorf("a damaged document was served: %d %q", r.Status, r.Raw)
	}
	var opened string
	desktop := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.a.API().ServeHTTP(w, r.WithContext(withNativeFiles(r.Context(), viewer{fakeDesktop{f.scanPath}, &opened})))
	})
	if r := call(t, desktop, "POST", base+"/open", c, ""); r.Status == 200 || opened != "" {
		t.Errorf("a damaged document was opened: %d %q", r.Status, opened)
	}
}

// storedPaths are the files under the data folder's files/, tmp/ aside.
func storedPaths(a *App) map[string]bool {
	out := map[string]bool{}
	filepath.WalkDir(filepath.Join(a.dataDir, "files"), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == "tmp" {
			return filepath.SkipDir
		}
		if err == nil && !d.IsDir() {
			out[p] = true
		}
		return nil
	})
	return out
}
