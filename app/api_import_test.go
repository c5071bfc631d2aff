package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"huicai/internal/account"
	"huicai/internal/testdb"
)

// upload posts data as a browser upload named name, as the leader.
func (f *roleFixture) upload(path, name string, data []byte) answer {
	req := httptest.NewRequest("POST", path, bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+f.tokens[account.RoleLeader])
	req.Header.Set("X-File-Name", name)
	req.Header.Set("Content-Type", "application/octet-stream")
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	out := answer{Status: rec.Code, Raw: rec.Body.String()}
	json.Unmarshal(rec.Body.Bytes(), &out.Body)
	return out
}

// filledTemplate is the template as downloaded, with rows filled in from
// row 3 (under the example).
func filledTemplate(t *testing.T, f *roleFixture, rows ...[]string) []byte {
	t.Helper()
	tpl := rawAnswer(f, "GET", "/api/talents/import/template/download")
	if tpl.Code != 200 || !strings.Contains(tpl.Header().Get("Content-Disposition"), "xlsx") {
		t.Fatalf("template: %d %s", tpl.Code, tpl.Header())
	}
	x, err := excelize.OpenReader(tpl.Body)
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+3)
			x.SetCellStr("高层次人才", cell, v)
		}
	}
	var buf bytes.Buffer
	x.WriteTo(&buf)
	return buf.Bytes()
}

func importRow(n int, name, dept string) []string {
	return []string{name, "", "", "", "居民身份证", testdb.ResidentID("19800512", n, n%2 == 1), fmt.Sprintf("139%08d", n),
		fmt.Sprintf("r%d@sdu.edu.cn", n), dept, "泰山学者", "泰山学者特聘专家", "2020-09-01"}
}

// TestImportTalentsOverTheAPI walks 批量导入: template, upload and preview,
// error report, import of the good rows, and the same file again.
func TestImportTalentsOverTheAPI(t *testing.T) {
	f := newRoleFixture(t)
	data := filledTemplate(t, f, importRow(101, "王堃", "数学学院"), importRow(102, "李喆", "没有这个学院"), importRow(103, "张赟", "数学学院"))
	p := f.upload("/api/talents/import", "人才.xlsx", data)
	id, _ := p.Body["id"].(string)
	if p.Status != 200 || id == "" || p.Body["valid"] != 2.0 || p.Body["invalid"] != 1.0 {
		t.Fatalf("preview: %s", p.Raw)
	}
	if !strings.Contains(p.Raw, `"row":4`) || !strings.Contains(p.Raw, "没有这个学院") {
		t.Errorf("preview problems: %s", p.Raw)
	}
	report := rawAnswer(f, "GET", "/api/talents/import/"+id+"/report/download")
	x, err := excelize.OpenReader(report.Body)
	if report.Code != 200 || err != nil {
		t.Fatalf("report: %d %v", report.Code, err)
	}
	rows, _ := x.GetRows("高层次人才")
	if rows[0][12] != "错误说明" || !strings.Contains(rows[3][12], "所在二级单位") {
		t.Errorf("report rows: %v / %v", rows[0], rows[3])
	}
	l := f.tokens[account.RoleLeader]
	if r := call(t, f.h, "POST", "/api/talents/import/"+id+"/commit", l, `{"mode":"all"}`); r.Status != 409 || !strings.Contains(r.Raw, "有 1 行存在错误") {
		t.Errorf("全部无误才导入: %d %s", r.Status, r.Raw)
	}
	f.a.imports.running.Lock()
	if r := call(t, f.h, "POST", "/api/talents/import/"+id+"/commit", l, `{"mode":"valid"}`); r.Status != 409 || !strings.Contains(r.Raw, "正在进行") {
		t.Errorf("while another import runs: %d %s", r.Status, r.Raw)
	}
	f.a.imports.running.Unlock()
	r := call(t, f.h, "POST", "/api/talents/import/"+id+"/commit", l, `{"mode":"valid"}`)
	if r.Status != 200 || r.Body["imported"] != 2.0 {
		t.Fatalf("import: %s", r.Raw)
	}
	if r := call(t, f.h, "POST", "/api/talents/import/"+id+"/commit", l, `{"mode":"valid"}`); r.Status != 404 {
		t.Errorf("the same upload imported twice: %d %s", r.Status, r.Raw)
	}
	again := f.upload("/api/talents/import", "人才.xlsx", data)
	if again.Body["existing"] != 2.0 || again.Body["valid"] != 0.0 {
		t.Errorf("the same file again: %s", again.Raw)
	}
	list := call(t, f.h, "GET", "/api/talents?name=王堃", l, "")
	if list.Body["total"] != 1.0 {
		t.Errorf("imported talent not listed: %s", list.Raw)
	}
	if n := auditCount(t, f, "批量导入高层次人才", "人才.xlsx"); n != 1 {
		t.Errorf("%d import audit rows", n)
	}
}

// TestImportUploadsAreRefusedClearly: a file that is no sheet changes
// nothing; only the leader may import; a commissioner cannot see another
// user's upload.
func TestImportUploadsAreRefusedClearly(t *testing.T) {
	f := newRoleFixture(t)
	before := testdb.Snapshot(t, f.a.db)
	for name, data := range map[string][]byte{"人才.xls": []byte("\xD0\xCF\x11\xE0 old"), "人才.csv": []byte("姓名,证件号码\n")} {
		if r := f.upload("/api/talents/import", name, data); r.Status != 400 || r.Body["error"] == nil {
			t.Errorf("%s: %d %s", name, r.Status, r.Raw)
		}
	}
	if testdb.Snapshot(t, f.a.db) != before {
		t.Error("a refused upload changed the database")
	}
	if r := call(t, f.h, "GET", "/api/talents/import/template/download", f.tokens[account.RoleCommissioner], ""); r.Status != 403 {
		t.Errorf("commissioner template: %d", r.Status)
	}
}

// TestImportCardsOverTheAPI: existing cards of imported talents come in
// through 批量登记已有惠才卡 and show in 持卡人才.
func TestImportCardsOverTheAPI(t *testing.T) {
	f := newRoleFixture(t)
	l := f.tokens[account.RoleLeader]
	talents := f.upload("/api/talents/import", "人才.xlsx", filledTemplate(t, f, importRow(201, "陈镕", "数学学院")))
	if r := call(t, f.h, "POST", "/api/talents/import/"+talents.Body["id"].(string)+"/commit", l, `{"mode":"all"}`); r.Status != 200 {
		t.Fatalf("talents: %s", r.Raw)
	}
	tpl := rawAnswer(f, "GET", "/api/card-holders/import/template/download")
	x, err := excelize.OpenReader(tpl.Body)
	if err != nil {
		t.Fatal(err)
	}
	x.SetSheetRow("已有惠才卡", "A3", &[]string{"陈镕", "居民身份证", testdb.ResidentID("19800512", 201, true), "鲁惠才2024000201", "2024-06-15", ""})
	var buf bytes.Buffer
	x.WriteTo(&buf)
	p := f.upload("/api/card-holders/import", "卡.xlsx", buf.Bytes())
	if p.Status != 200 || p.Body["valid"] != 1.0 {
		t.Fatalf("preview: %s", p.Raw)
	}
	if r := call(t, f.h, "POST", "/api/card-holders/import/"+p.Body["id"].(string)+"/commit", l, `{"mode":"all"}`); r.Status != 200 || r.Body["imported"] != 1.0 {
		t.Fatalf("import: %s", r.Raw)
	}
	holders := call(t, f.h, "GET", "/api/card-holders?name=陈镕", l, "")
	if !strings.Contains(holders.Raw, "鲁惠才2024000201") || !strings.Contains(holders.Raw, "2029-06-14") {
		t.Errorf("holders: %s", holders.Raw)
	}
}

// TestTheLeaderOpensAnImportedTalentsAccount: an imported record has no
// account until the leader opens one; the talent signs in with the
// temporary password and must change it; a second opening is refused.
func TestTheLeaderOpensAnImportedTalentsAccount(t *testing.T) {
	f := newRoleFixture(t)
	l := f.tokens[account.RoleLeader]
	p := f.upload("/api/talents/import", "人才.xlsx", filledTemplate(t, f, importRow(301, "刘珺", "数学学院")))
	call(t, f.h, "POST", "/api/talents/import/"+p.Body["id"].(string)+"/commit", l, `{"mode":"all"}`)
	list := call(t, f.h, "GET", "/api/talents?name=刘珺", l, "")
	row := list.Body["items"].([]any)[0].(map[string]any)
	if row["has_account"] != false {
		t.Fatalf("imported row: %v", row)
	}
	path := fmt.Sprintf("/api/talents/%d/account", int64(row["id"].(float64)))
	if r := call(t, f.h, "POST", path, l, `{"username":"1x"}`); r.Status != 400 {
		t.Errorf("a bad username: %d %s", r.Status, r.Raw)
	}
	opened := call(t, f.h, "POST", path, l, `{"username":"liujun"}`)
	password, _ := opened.Body["password"].(string)
	if opened.Status != 200 || len(password) < 12 {
		t.Fatalf("open: %s", opened.Raw)
	}
	login := call(t, f.h, "POST", "/api/session", "", fmt.Sprintf(`{"username":"liujun","password":%q}`, password))
	if login.Status != 200 || !strings.Contains(login.Raw, `"must_change_password":true`) {
		t.Errorf("sign-in with the temporary password: %s", login.Raw)
	}
	if r := call(t, f.h, "POST", path, l, `{"username":"liujun2"}`); r.Status != 409 {
		t.Errorf("opened twice: %d %s", r.Status, r.Raw)
	}
}
