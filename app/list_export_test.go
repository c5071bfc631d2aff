package app

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"huicai/internal/account"
)

// TestListExportsHoldTheFilteredList: 导出Excel of each business list, as
// each role that sees it and with a filter, writes exactly the rows the
// list shows, in its order, masked as shown, ID numbers as text; and the
// export is recorded in the audit log.
func TestListExportsHoldTheFilteredList(t *testing.T) {
	f := newRoleFixture(t)
	f.approve(t)
	sampleChange(t, f)
	for _, c := range []struct {
		path  string
		roles []account.Role
	}{
		{"/api/talents?name=人才", []account.Role{account.RoleLeader, account.RoleCommissioner}},
		{"/api/talents?name=rencai2", []account.Role{account.RoleLeader}},
		{"/api/applications?state=unit_approved", []account.Role{account.RoleLeader, account.RoleCommissioner, account.RoleTalent}},
		{"/api/applications", []account.Role{account.RoleLeader, account.RoleCommissioner, account.RoleTalent}},
		{"/api/changes", []account.Role{account.RoleLeader, account.RoleCommissioner}},
		{"/api/card-holders?sort=expires", []account.Role{account.RoleLeader, account.RoleCommissioner}},
	} {
		for _, role := range c.roles {
			token := f.tokens[role]
			base, filter, _ := strings.Cut(c.path, "?")
			list := call(t, f.h, "GET", base+"?page_size=100&"+filter, token, "")
			items, _ := list.Body["items"].([]any)
			if list.Status != 200 || len(items) == 0 {
				t.Fatalf("%s as %s: %d %s", c.path, role, list.Status, list.Raw)
			}
			r := call(t, f.h, "GET", base+"/export/download?"+filter, token, "")
			if r.Status != 200 {
				t.Fatalf("export %s as %s: %d %s", c.path, role, r.Status, r.Raw)
			}
			x, err := excelize.OpenReader(strings.NewReader(r.Raw))
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := x.GetRows("汇总表")
			if len(rows) < 3+len(items) {
				t.Fatalf("export %s as %s: %d rows for %d items", c.path, role, len(rows)-3, len(items))
			}
			for i, it := range items {
				if got, want := rows[3+i][0], it.(map[string]any)["name"]; got != want {
					t.Errorf("export %s as %s row %d: %q, want %q", c.path, role, i+1, got, want)
				}
			}
			for _, extra := range rows[3+len(items):] {
				if len(extra) > 0 && extra[0] != "" {
					t.Errorf("export %s as %s: a row more than the list: %v", c.path, role, extra)
				}
			}
			checkMaskedText(t, x, rows, c.path)
		}
	}
	if n := auditCount(t, f, "导出列表", "%列表"); n != 13 {
		t.Errorf("%d exports in the audit log, want 13", n)
	}
}

// checkMaskedText checks the ID number column holds masked text cells.
func checkMaskedText(t *testing.T, x *excelize.File, rows [][]string, path string) {
	t.Helper()
	for col, header := range rows[2] {
		if header != "证件号码" {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(col+1, 4)
		v, _ := x.GetCellValue("汇总表", cell)
		typ, _ := x.GetCellType("汇总表", cell)
		if !strings.Contains(v, "*") || (typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString) {
			t.Errorf("export %s: ID number cell %s = %q (%v), want masked text", path, cell, v, typ)
		}
	}
}

// TestAnEmptyFilteredListIsNotExported: a filter that selects nothing —
// SQL and pattern characters matched literally among them — answers a
// clear message, writes no file and records no export.
func TestAnEmptyFilteredListIsNotExported(t *testing.T) {
	f := newRoleFixture(t)
	l := f.tokens[account.RoleLeader]
	before := auditCount(t, f, "导出列表", "%列表")
	for _, path := range []string{"/api/talents/export/download?name=%25", "/api/talents/export/download?name=_",
		"/api/applications/export/download?name=%27", "/api/changes/export/download?name=.*",
		"/api/card-holders/export/download?name=无此人", "/api/audit/export/download?from=2001-01-01&to=2001-01-02"} {
		r := call(t, f.h, "GET", path, l, "")
		if r.Status != 409 || !strings.Contains(r.Raw, "没有记录，无需导出") || strings.HasPrefix(r.Raw, "PK") {
			t.Errorf("%s: %d %.80s", path, r.Status, r.Raw)
		}
	}
	s := call(t, f.h, "POST", "/api/talents/export/save?name=%25", l, "")
	if s.Status != 409 {
		t.Errorf("desktop save of an empty list: %d %s", s.Status, s.Raw)
	}
	if after := auditCount(t, f, "导出列表", "%列表"); after != before {
		t.Errorf("%d list exports recorded for empty lists", after-before)
	}
}

// exportPaths are the 导出Excel downloads of the lists and the audit log.
var exportPaths = []string{"/api/talents/export/download", "/api/applications/export/download", "/api/changes/export/download",
	"/api/card-holders/export/download", "/api/audit/export/download"}

// auditRows counts every row of the audit log.
func auditRows(t *testing.T, f *roleFixture) int {
	t.Helper()
	var n int
	if err := f.a.db.QueryRow(`SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestASecondExportWaitsOrIsRefused: while one 导出Excel runs, another
// waits for it; one that waits too long is refused with a message and
// records nothing; exports started together all finish, one after the
// other, and leave the slot free.
func TestASecondExportWaitsOrIsRefused(t *testing.T) {
	f := newRoleFixture(t)
	f.approve(t)
	sampleChange(t, f)
	l := f.tokens[account.RoleLeader]
	release, err := f.a.sheets.take(t.Context(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	f.a.sheetWait = 100 * time.Millisecond
	before := auditRows(t, f)
	for _, path := range exportPaths {
		r := call(t, f.h, "GET", path, l, "")
		if r.Status != 409 || !strings.Contains(r.Raw, "另一项导出Excel正在进行，请稍候再试") {
			t.Errorf("%s while another export runs: %d %.120s", path, r.Status, r.Raw)
		}
	}
	if after := auditRows(t, f); after != before {
		t.Errorf("refused exports recorded %d audit rows", after-before)
	}

	f.a.sheetWait = 20 * time.Second
	time.AfterFunc(300*time.Millisecond, release)
	if r := call(t, f.h, "GET", exportPaths[0], l, ""); r.Status != 200 {
		t.Errorf("an export waiting for another: %d %.120s", r.Status, r.Raw)
	}
	var wg sync.WaitGroup
	for _, path := range append(exportPaths, exportPaths...) {
		wg.Go(func() {
			if r := call(t, f.h, "GET", path, l, ""); r.Status != 200 || !strings.HasPrefix(r.Raw, "PK") {
				t.Errorf("%s started together with others: %d %.120s", path, r.Status, r.Raw)
			}
		})
	}
	wg.Wait()
	if release, err := f.a.sheets.take(t.Context(), 0); err != nil {
		t.Errorf("the slot after the exports: %v", err)
	} else {
		release()
	}
}

// TestExportsRefuseUnknownSorts: 导出Excel with a sort the list does not
// offer is refused as the list is (400, naming the sorts it offers) and
// records nothing.
func TestExportsRefuseUnknownSorts(t *testing.T) {
	f := newRoleFixture(t)
	l := f.tokens[account.RoleLeader]
	before := auditRows(t, f)
	for _, path := range exportPaths {
		for _, method := range []string{"GET", "POST"} {
			p := path + "?sort=id_number"
			if method == "POST" {
				p = strings.Replace(p, "/download", "/save", 1)
			}
			r := call(t, f.h, method, p, l, "")
			if r.Status != 400 || !strings.Contains(r.errField("sort"), "可选：") {
				t.Errorf("%s %s: %d %.160s", method, p, r.Status, r.Raw)
			}
		}
	}
	if after := auditRows(t, f); after != before {
		t.Errorf("refused exports recorded %d audit rows", after-before)
	}
}
