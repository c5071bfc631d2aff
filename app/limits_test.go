package app

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"huicai/internal/account"
)

func TestLoginAttemptsAreLimitedPerAddress(t *testing.T) {
	a := newTestApp(t)
	h := a.API()
	setUp(t, h) // one login from 192.0.2.1 (httptest's address)
	for i := 2; i <= loginLimit; i++ {
		if r := call(t, h, "POST", "/api/session", "", `{"username":"leader","password":"Wrong@2026"}`); r.Status == 429 {
			t.Fatalf("attempt %d refused too early", i)
		}
	}
	r := call(t, h, "POST", "/api/session", "", `{"username":"leader","password":"Leader@2026"}`)
	if r.Status != 429 || !strings.Contains(r.Raw, "登录尝试过于频繁") {
		t.Fatalf("attempt %d: %d %s", loginLimit+1, r.Status, r.Raw)
	}
	// Another workstation, and the desktop window, go on normally.
	req := httptest.NewRequest("POST", "/api/session", strings.NewReader(`{"username":"leader","password":"Leader@2026"}`))
	req.RemoteAddr = "192.0.2.77:5000"
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code == 429 {
		t.Error("another address was limited too")
	}
	b := &Bridge{api: h}
	if res := b.Call(BridgeRequest{Method: "POST", Path: "/api/session", Headers: map[string]string{"Content-Type": "application/json"},
		Body: `{"username":"leader","password":"Leader@2026"}`}); res.Status == 429 {
		t.Error("the desktop window was limited")
	}
}

func TestOversizedRequestsAreRefused(t *testing.T) {
	f := newRoleFixture(t)
	big := bytes.Repeat([]byte("x"), maxRequestBody+10)
	r := upload(f, account.RoleCommissioner, "big.pdf", append([]byte("%PDF-1.4\n"), big...))
	if r.Status != 413 {
		t.Errorf("oversized upload: %d %s", r.Status, r.Raw)
	}
	if r := call(t, f.h, "GET", "/api/session", f.tokens[account.RoleLeader], ""); r.Status != 200 {
		t.Errorf("normal use after the refusal: %d", r.Status)
	}
}

// TestAuditExport: the audit log exports in the order the page shows it,
// newest first, or oldest first when sorted so.
func TestAuditExport(t *testing.T) {
	f := newRoleFixture(t)
	r := raw(f, "GET", "/api/audit/export/download?sort=at", nil)
	if r.Status != 200 {
		t.Fatalf("export: %d %s", r.Status, r.Raw)
	}
	x, err := excelize.OpenReader(strings.NewReader(r.Raw))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("汇总表")
	if len(rows) < 10 || rows[0][0] != "审计日志" || rows[2][3] != "操作" {
		t.Fatalf("sheet %v", rows[:3])
	}
	if rows[3][3] != "初始设置" {
		t.Errorf("oldest row first: %v", rows[3])
	}
	page := call(t, f.h, "GET", "/api/audit?page_size=1", f.tokens[account.RoleLeader], "")
	newest := raw(f, "GET", "/api/audit/export/download", nil)
	x, _ = excelize.OpenReader(strings.NewReader(newest.Raw))
	rows, _ = x.GetRows("汇总表")
	want := page.Body["items"].([]any)[0].(map[string]any)["hash"]
	if rows[3][8] != want {
		t.Errorf("newest first: the first row %v, the page's %v", rows[3], want)
	}
}
