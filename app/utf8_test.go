package app

import (
	"strings"
	"testing"

	"huicai/internal/testdb"
)

// TestInvalidUTF8AndHiddenCharactersAreRefused: invalid UTF-8 used to be
// turned into U+FFFD silently, and a bidi override or zero-width space was
// accepted in a name.
func TestInvalidUTF8AndHiddenCharactersAreRefused(t *testing.T) {
	a := newTestApp(t)
	h := a.API()
	token := setUp(t, h)
	before := testdb.Snapshot(t, a.db)
	r := call(t, h, "POST", "/api/departments", token, "{\"name\":\"物理\xff学院\"}")
	if r.Status != 400 || !strings.Contains(r.Raw, "不是 UTF-8") {
		t.Errorf("invalid UTF-8: %d %s", r.Status, r.Raw)
	}
	for _, name := range []string{"物理\u202e学院", "物理\u200b学院", "\ufeff物理学院"} {
		r := call(t, h, "POST", "/api/departments", token, `{"name":"`+name+`"}`)
		if r.Status != 400 || !strings.Contains(r.errField("name"), "改变文字方向") {
			t.Errorf("%q: %d %s", name, r.Status, r.Raw)
		}
	}
	if testdb.Snapshot(t, a.db) != before {
		t.Error("refused names changed data")
	}
}
