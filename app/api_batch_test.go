package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huicai/internal/account"
	"huicai/internal/card"
	"huicai/internal/clock"
	"huicai/internal/pack"
	"huicai/internal/sign"
)

// approve takes the fixture's application through supplement, submit and
// the leader's approval, over the API.
func (f *roleFixture) approve(t *testing.T) {
	t.Helper()
	c, l := f.tokens[account.RoleCommissioner], f.tokens[account.RoleLeader]
	body := fmt.Sprintf(`{"version":%d,%s}`, f.version(), completeMaterials)
	if r := call(t, f.h, "POST", fmt.Sprintf("/api/applications/%d/submit", f.app), c, body); r.Status != 200 {
		t.Fatalf("submit: %s", r.Raw)
	}
	body = fmt.Sprintf(`{"version":%d,"result":"approve"}`, f.version())
	if r := call(t, f.h, "POST", fmt.Sprintf("/api/applications/%d/review", f.app), l, body); r.Status != 200 {
		t.Fatalf("approve: %s", r.Raw)
	}
}

func (f *roleFixture) waitJob(t *testing.T, r answer) map[string]any {
	t.Helper()
	id, _ := r.Body["id"].(string)
	if r.Status != 200 || id == "" {
		t.Fatalf("job start: %s", r.Raw)
	}
	for i := 0; i < 500; i++ {
		s := call(t, f.h, "GET", "/api/jobs/"+id, f.tokens[account.RoleLeader], "")
		if s.Body["state"] != "running" {
			return s.Body
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("job never ended")
	return nil
}

func raw(f *roleFixture, method, path string, data []byte) answer {
	req := httptest.NewRequest(method, path, bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+f.tokens[account.RoleLeader])
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	out := answer{Status: rec.Code, Raw: rec.Body.String()}
	json.Unmarshal(rec.Body.Bytes(), &out.Body)
	return out
}

func TestCardBatchOverTheAPI(t *testing.T) {
	f := newRoleFixture(t)
	f.approve(t)
	l := f.tokens[account.RoleLeader]
	r := call(t, f.h, "POST", "/api/batches", l, fmt.Sprintf(`{"kind":"card","item_ids":[%d],"contact_person":"张三","contact_phone":"0531-88364000"}`, f.app))
	if r.Status != 200 {
		t.Fatalf("create: %s", r.Raw)
	}
	id := int64(r.Body["id"].(float64))
	base := fmt.Sprintf("/api/batches/%d", id)
	if r := call(t, f.h, "POST", "/api/batches", l, fmt.Sprintf(`{"kind":"card","item_ids":[%d],"contact_person":"张三","contact_phone":"0531-88364000"}`, f.app)); r.Status != 409 {
		t.Errorf("the same application in a second batch: %d %s", r.Status, r.Raw)
	}
	if r := call(t, f.h, "POST", base+"/submit", l, `{"password":"Leader@2026"}`); r.Status != 200 {
		t.Fatalf("submit start: %s", r.Raw)
	} else if s := f.waitJob(t, r); s["state"] != "failed" || !strings.Contains(fmt.Sprint(s["error"]), "请先导出") {
		t.Errorf("submit before export: %v", s)
	}
	if s := f.waitJob(t, call(t, f.h, "POST", base+"/export", l, "")); s["state"] != "done" {
		t.Fatalf("export: %v", s)
	}
	v := call(t, f.h, "GET", base, l, "")
	if !strings.Contains(v.Raw, "惠才卡申领汇总表.xlsx") || strings.Contains(v.Raw, `"37010219`) {
		t.Errorf("batch view: %s", v.Raw)
	}
	if d := raw(f, "GET", base+"/exports/download", nil); d.Status != 200 || !strings.HasPrefix(d.Raw, "PK") {
		t.Errorf("exports zip: %d", d.Status)
	}
	if s := call(t, f.h, "POST", base+"/exports/save", l, ""); s.Status != 200 {
		t.Errorf("exports save: %s", s.Raw)
	} else if _, err := os.Stat(filepath.Join(s.Body["path"].(string), "惠才卡申领汇总表.pdf")); err != nil {
		t.Errorf("saved exports: %v", err)
	}
	if s := f.waitJob(t, call(t, f.h, "POST", base+"/submit", l, `{"password":"Leader@2026"}`)); s["state"] != "failed" || !strings.Contains(fmt.Sprint(s["error"]), "盖章") {
		t.Errorf("submit without scan: %v", s)
	}
	if s := raw(f, "POST", base+"/scan", []byte("%PDF-1.4 stamped")); s.Status != 200 {
		t.Fatalf("scan: %s", s.Raw)
	}
	if s := f.waitJob(t, call(t, f.h, "POST", base+"/submit", l, `{"password":"Wrong@2026"}`)); s["state"] != "failed" || !strings.Contains(fmt.Sprint(s["error"]), "密码不正确") {
		t.Errorf("submit with a wrong password: %v", s)
	}
	if s := f.waitJob(t, call(t, f.h, "POST", base+"/submit", l, `{"password":"Leader@2026"}`)); s["state"] != "done" {
		t.Fatalf("submit: %v", s)
	}
	pkg := raw(f, "GET", base+"/package/download", nil)
	keyFile := raw(f, "GET", "/api/keys/unit/download", nil)
	if pkg.Status != 200 || keyFile.Status != 200 {
		t.Fatalf("package %d, key %d", pkg.Status, keyFile.Status)
	}
	if _, err := pack.Verify(bytes.NewReader([]byte(pkg.Raw)), int64(len(pkg.Raw)), []byte(keyFile.Raw)); err != nil {
		t.Fatalf("downloaded package does not verify with the exported key: %v", err)
	}
	a, _ := card.ByID(context.Background(), f.a.db, f.app)
	if a.State != card.StateProvinceReview {
		t.Errorf("application after submit: %s", a.State)
	}

	provPriv, provPub, _ := sign.GenerateKeyPair()
	body, _ := json.Marshal(map[string]string{"public_pem": provPub})
	if r := call(t, f.h, "PUT", "/api/keys/province", l, string(body)); r.Status != 200 {
		t.Fatalf("province key: %s", r.Raw)
	}
	pkgPath := filepath.Join(t.TempDir(), "p.zip")
	os.WriteFile(pkgPath, []byte(pkg.Raw), 0o600)
	pk, _ := sign.ParsePrivatePEM([]byte(provPriv))
	receipt := filepath.Join(t.TempDir(), "r.zip")
	if _, err := pack.MakeReceipt(pkgPath, pk, nil, clock.Now(), receipt); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(receipt)
	strangerPriv, _, _ := sign.GenerateKeyPair()
	sk, _ := sign.ParsePrivatePEM([]byte(strangerPriv))
	forged := filepath.Join(t.TempDir(), "forged.zip")
	pack.MakeReceipt(pkgPath, sk, nil, clock.Now(), forged)
	forgedData, _ := os.ReadFile(forged)
	if r := raw(f, "POST", "/api/receipts", forgedData); r.Status != 400 || !strings.Contains(r.Raw, "签名验证失败") {
		t.Errorf("receipt signed by another key: %d %s", r.Status, r.Raw)
	}
	if r := raw(f, "POST", "/api/receipts", data); r.Status != 200 {
		t.Fatalf("receipt: %s", r.Raw)
	}
	if r := raw(f, "POST", "/api/receipts", data); r.Status != 409 || !strings.Contains(r.Raw, "不能重复导入") {
		t.Errorf("receipt twice: %d %s", r.Status, r.Raw)
	}
	d := call(t, f.h, "GET", fmt.Sprintf("/api/applications/%d", f.app), l, "")
	if !strings.Contains(d.Raw, `"state":"issued"`) || !strings.Contains(d.Raw, "鲁惠才") {
		t.Errorf("application after receipt: %s", d.Raw)
	}
}

func TestBackupAndRestoreInTheApp(t *testing.T) {
	f := newRoleFixture(t)
	l := f.tokens[account.RoleLeader]
	if s := f.waitJob(t, call(t, f.h, "POST", "/api/backups", l, "")); s["state"] != "done" {
		t.Fatalf("backup: %v", s)
	}
	list := call(t, f.h, "GET", "/api/backups", l, "")
	if !strings.Contains(list.Raw, "huicai-manual-") {
		t.Fatalf("backups: %s", list.Raw)
	}
	name := strings.Split(strings.Split(list.Raw, `"name":"`)[1], `"`)[0]
	call(t, f.h, "POST", "/api/departments", l, `{"name":"备份之后的学院"}`)
	c := f.tokens[account.RoleCommissioner]
	if s := f.waitJob(t, call(t, f.h, "POST", "/api/backups/"+name+"/restore", l, "")); s["state"] != "done" {
		t.Fatalf("restore: %v", s)
	}
	if r := call(t, f.h, "GET", "/api/talents", c, ""); r.Status != 401 {
		t.Errorf("other sessions survived the restore: %d", r.Status)
	}
	if r := call(t, f.h, "GET", "/api/departments", l, ""); strings.Contains(r.Raw, "备份之后的学院") || r.Status != 200 {
		t.Errorf("after restore: %d %s", r.Status, r.Raw)
	}
}
