package app

import (
	"strings"
	"testing"

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
