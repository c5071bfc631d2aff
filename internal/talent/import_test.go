package talent_test

import (
	"archive/zip"
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/card"
	"huicai/internal/export"
	"huicai/internal/sheetin"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/testdb"
	"huicai/internal/unit"
)

var importDay = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

// importFixture is a unit with two active 二级单位 and a disabled one.
type importFixture struct {
	db     *store.DB
	leader account.User
}

func newImportFixture(t testing.TB) importFixture {
	t.Helper()
	db := testdb.Open(t)
	f := importFixture{db: db, leader: testdb.Leader(t, db)}
	testdb.Department(t, db, "物理学院")
	testdb.Department(t, db, "医学院")
	closed := testdb.Department(t, db, "已撤销学院")
	if err := db.Tx(ctx, func(tx *sql.Tx) error { _, err := unit.SetDepartmentActive(ctx, tx, closed, false); return err }); err != nil {
		t.Fatal(err)
	}
	return f
}

var importHeader = []string{"姓名", "性别", "出生日期", "国籍（地区）", "证件类型", "证件号码", "手机号码", "电子邮箱", "所在二级单位", "人才类别", "人才称号", "称号获得时间"}

// goodRow is a valid row for person n (a resident ID of 1980-05-12).
func goodRow(n int, name string) []any {
	return []any{name, "男", "1980-05-12", "中国", "居民身份证", testdb.ResidentID("19800512", n, true), fmt.Sprintf("138%08d", n),
		fmt.Sprintf("p%d@sdu.edu.cn", n), "物理学院", "泰山学者", "泰山学者特聘专家", "2020-09-01"}
}

// sheet is an xlsx of a header and rows; cells given as strings stay text.
func sheet(t *testing.T, header []string, rows ...[]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	for c, h := range header {
		x.SetCellStr("Sheet1", cellName(c+1, 1), h)
	}
	for r, row := range rows {
		for c, v := range row {
			switch v := v.(type) {
			case string:
				x.SetCellStr("Sheet1", cellName(c+1, r+2), v)
			default:
				x.SetCellValue("Sheet1", cellName(c+1, r+2), v)
			}
		}
	}
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func cellName(c, r int) string {
	n, _ := excelize.CoordinatesToCellName(c, r)
	return n
}

func (f importFixture) check(t *testing.T, data []byte) (*talent.ImportCheck, *sheetin.File, error) {
	t.Helper()
	file, err := sheetin.Open(bytes.NewReader(data), int64(len(data)), "人才.xlsx")
	if err != nil {
		return nil, nil, err
	}
	t.Cleanup(func() { file.Close() })
	c, err := talent.CheckImport(ctx, f.db, file, importDay)
	return c, file, err
}

func (f importFixture) talents(t *testing.T) int {
	var n int
	f.db.QueryRow(`SELECT COUNT(*) FROM talents`).Scan(&n)
	return n
}

// TestImportTalentsFromASheet: valid rows with rare-character names are
// imported in one go with one audit row, as records no one can sign in
// to, each with its card application open; importing the same file again
// changes nothing and says so.
func TestImportTalentsFromASheet(t *testing.T) {
	f := newImportFixture(t)
	names := []string{"王堃", "李喆", "张赟", "陈镕", "刘珺"}
	var rows [][]any
	for i, name := range names {
		rows = append(rows, goodRow(i+1, name))
	}
	data := sheet(t, importHeader, rows...)
	c, _, err := f.check(t, data)
	if err != nil || c.Rows != 5 || c.Valid != 5 || c.Invalid != 0 || len(c.Problems) != 0 {
		t.Fatalf("check: %+v, %v", c, err)
	}
	res, err := talent.Import(ctx, f.db, f.leader, c, sheetin.AllOrNone, "人才.xlsx", "test", card.Open)
	if err != nil || res.Imported != 5 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	list, _ := talent.List(ctx, f.db, talent.Filter{PageSize: 10})
	got := map[string]bool{}
	for _, tal := range list.Items {
		got[tal.Name] = true
		if a, err := card.Current(ctx, f.db, tal.ID); err != nil || a.State != card.StateSupplement {
			t.Errorf("%s: application %+v, %v", tal.Name, a, err)
		}
	}
	for _, n := range names {
		if !got[n] {
			t.Errorf("%s not imported: %v", n, got)
		}
	}
	if n := strings.Count(strings.Join(testdb.AuditActions(t, f.db), "\n"), "批量导入高层次人才"); n != 1 {
		t.Errorf("%d import audit rows, want 1", n)
	}
	if ok, err := account.CheckPassword("", account.NoPassword); ok || err != nil {
		t.Errorf("an imported record can be signed in to: %v %v", ok, err)
	}

	before := testdb.Snapshot(t, f.db)
	again, _, err := f.check(t, data)
	if err != nil || again.Valid != 0 || again.Existing != 5 {
		t.Fatalf("check again: %+v, %v", again, err)
	}
	res, err = talent.Import(ctx, f.db, f.leader, again, sheetin.ValidRows, "人才.xlsx", "test", card.Open)
	if err != nil || res.Imported != 0 || !strings.Contains(res.Message, "均已登记") {
		t.Errorf("re-import: %+v, %v", res, err)
	}
	if testdb.Snapshot(t, f.db) != before {
		t.Error("re-importing the same file changed the database")
	}
}

// TestImportFindsEveryKindOfBadRow: each bad row is named with its column
// and reason, the good rows around them stay importable, and 全部无误才导入
// imports nothing.
func TestImportFindsEveryKindOfBadRow(t *testing.T) {
	f := newImportFixture(t)
	registered := testdb.Talent(t, f.db, "rencai9", 9, testdb.Department(t, f.db, "化学学院"))
	with := func(n int, col int, v any) []any {
		row := goodRow(n, fmt.Sprintf("人才%d", n))
		row[col] = v
		return row
	}
	existing := func(id string) []any {
		row := with(10, 5, id)
		row[1], row[2] = "", "" // filled from the ID
		return row
	}
	fullWidth := goodRow(20, "全角")
	fullWidth[5] = strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r - '0' + '０'
		}
		return r
	}, fullWidth[5].(string))
	fullWidth[6] = " １３８００００００２０ "
	bad := []struct {
		row  []any
		col  string
		want string
	}{
		{with(2, 5, badCheckDigit(testdb.ResidentID("19800512", 2, true))), "证件号码", "校验"},
		{with(3, 2, "1981-05-12"), "证件号码", "出生日期"},
		{with(4, 1, "女"), "证件号码", "性别"},
		{with(5, 6, "1380000"), "手机号码", "手机"},
		{with(6, 8, "不存在学院"), "所在二级单位", "不存在"},
		{with(7, 8, "已撤销学院"), "所在二级单位", "停用"},
		{with(8, 9, "外星人才"), "人才类别", "不在本单位"},
		{with(9, 5, 3.70102198005121e+17), "证件号码", "存成了数字"},
		{existing(registered.IDNumber), "", ""}, // registered already: existing, not a problem
		{with(11, 0, ""), "姓名", "请填写姓名"},
		{with(1, 6, "13800000099"), "证件号码", "与第 2 行重复"},
	}
	rows := [][]any{goodRow(1, "王堃"), goodRow(12, "示例：不导入"), fullWidth}
	for _, b := range bad {
		rows = append(rows, b.row)
	}
	data := sheet(t, importHeader, rows...)
	c, file, err := f.check(t, data)
	if err != nil {
		t.Fatal(err)
	}
	if c.Rows != 13 || c.Valid != 2 || c.Existing != 1 || c.Invalid != 10 {
		t.Errorf("counts: rows %d valid %d existing %d invalid %d; problems %+v", c.Rows, c.Valid, c.Existing, c.Invalid, c.Problems)
	}
	for i, b := range bad {
		if b.col == "" {
			continue
		}
		row := i + 5 // header, 王堃, the example, the full-width row
		found := false
		for _, p := range c.Problems {
			found = found || (p.Row == row && p.Column == b.col && strings.Contains(p.Message, b.want))
		}
		if !found {
			t.Errorf("row %d: no %s problem about %q in %+v", row, b.col, b.want, c.Problems)
		}
	}
	before := testdb.Snapshot(t, f.db)
	if _, err := talent.Import(ctx, f.db, f.leader, c, sheetin.AllOrNone, "人才.xlsx", "test", card.Open); codeOf(err) != apperr.CodeConflict {
		t.Errorf("全部无误才导入 with bad rows: %v", err)
	}
	if testdb.Snapshot(t, f.db) != before {
		t.Error("a refused import changed the database")
	}
	res, err := talent.Import(ctx, f.db, f.leader, c, sheetin.ValidRows, "人才.xlsx", "test", card.Open)
	if err != nil || res.Imported != 2 || res.Skipped != 10 || res.Existing != 1 {
		t.Fatalf("仅导入无误的行: %+v, %v", res, err)
	}
	var mobile string
	list, _ := talent.List(ctx, f.db, talent.Filter{Name: "全角", PageSize: 10})
	if len(list.Items) == 1 {
		full, _ := talent.ByID(ctx, f.db, list.Items[0].ID)
		mobile = full.Mobile
		if full.IDNumber != testdb.ResidentID("19800512", 20, true) {
			t.Errorf("full-width ID stored as %q", full.IDNumber)
		}
	}
	if mobile != "13800000020" {
		t.Errorf("full-width mobile stored as %q", mobile)
	}

	var report bytes.Buffer
	if err := c.Report(&report, file); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&report)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := x.GetRows("Sheet1")
	if got[0][len(importHeader)] != "错误说明" || !strings.Contains(got[4][len(importHeader)], "证件号码：") {
		t.Errorf("report: header %v, row 5 %v", got[0], got[4])
	}
	style, _ := x.GetCellStyle("Sheet1", "F5")
	if s, _ := x.GetStyle(style); s == nil || len(s.Fill.Color) == 0 {
		t.Errorf("the wrong ID cell is not marked: %+v", s)
	}
}

// badCheckDigit is id with a wrong last digit.
func badCheckDigit(id string) string {
	last := map[bool]string{true: "1", false: "2"}[strings.HasSuffix(id, "2")]
	return id[:17] + last
}

func codeOf(err error) apperr.Code {
	if e, _ := apperr.As(err); e != nil {
		return e.Code
	}
	return ""
}

// TestImportReadsTheSheetsPeopleHave: columns in another order under other
// names are matched, extra columns are listed, a title above the header
// and blank rows are passed over, and dates Excel stores as numbers read
// as dates.
func TestImportReadsTheSheetsPeopleHave(t *testing.T) {
	f := newImportFixture(t)
	header := []string{"序号", "身份证号", "姓名", "手机号", "邮箱", "二级单位", "人才类别", "人才称号", "称号获得日期", "证件类型", "备注"}
	row := func(n int, name string) []any {
		return []any{n, testdb.ResidentID("19800512", n, true), name, fmt.Sprintf("138%08d", n), fmt.Sprintf("p%d@sdu.edu.cn", n),
			"医学院", "泰山学者", "泰山学者特聘专家", 44075.0, "居民身份证", "无"}
	}
	x := excelize.NewFile()
	x.SetCellStr("Sheet1", "A1", "某某大学高层次人才花名册")
	for c, h := range header {
		x.SetCellStr("Sheet1", cellName(c+1, 3), h)
	}
	for r, vals := range [][]any{row(1, "赵堃"), nil, row(2, "钱喆")} {
		for c, v := range vals {
			if s, ok := v.(string); ok {
				x.SetCellStr("Sheet1", cellName(c+1, r+4), s)
			} else {
				x.SetCellValue("Sheet1", cellName(c+1, r+4), v)
			}
		}
	}
	var buf bytes.Buffer
	x.WriteTo(&buf)
	c, _, err := f.check(t, buf.Bytes())
	if err != nil || c.Valid != 2 || c.Invalid != 0 {
		t.Fatalf("check: %+v, %v", c, err)
	}
	if strings.Join(c.Extra, ",") != "序号,备注" {
		t.Errorf("extra columns %v", c.Extra)
	}
	if c.Ready()[0].TitleDate != "2020-09-01" || c.Ready()[0].BirthDate != "1980-05-12" || c.Ready()[0].Gender != "男" {
		t.Errorf("row 1 read as %+v", c.Ready()[0].Profile)
	}
}

// TestImportRefusesWhatIsNotATalentSheet: each bad file is refused with a
// message that says what to do.
func TestImportRefusesWhatIsNotATalentSheet(t *testing.T) {
	f := newImportFixture(t)
	noName := sheet(t, []string{"性别", "证件类型", "证件号码", "手机号码", "电子邮箱", "所在二级单位", "人才类别", "人才称号", "称号获得时间"}, []any{"男"})
	for _, c := range []struct {
		what, name string
		data       []byte
		want       string
	}{
		{"an old .xls", "人才.xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old"), "另存为"},
		{"a renamed EXE", "人才.xlsx", []byte("MZ\x90\x00 program"), "不是 Excel 工作簿"},
		{"a CSV", "人才.xlsx", []byte("姓名,证件号码\n王堃,370102198005120035\n"), "不是 Excel 工作簿"},
		{"a zip that is no workbook", "人才.xlsx", zipOf(t, "readme.txt", []byte("hi")), "不是 Excel 工作簿"},
		{"a zip bomb", "人才.xlsx", bomb(t), "解压后超过"},
		{"no header row", "人才.xlsx", sheet(t, []string{"a", "b"}, []any{"1", "2"}), "没有找到表头"},
		{"a missing required column", "人才.xlsx", noName, "缺少必填列：“姓名”"},
		{"no data rows", "人才.xlsx", sheet(t, importHeader), "没有数据行"},
	} {
		file, err := sheetin.Open(bytes.NewReader(c.data), int64(len(c.data)), c.name)
		if err == nil {
			_, err = talent.CheckImport(ctx, f.db, file, importDay)
			file.Close()
		}
		if e, _ := apperr.As(err); e == nil || !strings.Contains(e.Fields["file"], c.want) {
			t.Errorf("%s: %v, want %q", c.what, err, c.want)
		}
	}
	if n := f.talents(t); n != 0 {
		t.Errorf("%d talents after refused files", n)
	}
}

// zipOf is a zip holding one file.
func zipOf(t *testing.T, name string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create(name)
	w.Write(data)
	zw.Close()
	return buf.Bytes()
}

// bomb is a small xlsx-shaped zip whose worksheet unpacks to 400 MB of
// zeros.
func bomb(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("xl/workbook.xml")
	w.Write([]byte("<workbook/>"))
	w, _ = zw.Create("xl/worksheets/sheet1.xml")
	zeros := make([]byte, 1<<20)
	for range 400 {
		w.Write(zeros)
	}
	zw.Close()
	return buf.Bytes()
}

// TestTheTemplateImportsOnceFilled: the template names every column, has
// the unit's own active lists in dropdowns on a hidden sheet, ID and phone
// columns as text, an example row that the import skips, and an
// instruction sheet; filled in, it imports.
func TestTheTemplateImportsOnceFilled(t *testing.T) {
	f := newImportFixture(t)
	tpl, err := talent.ImportTemplate(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.WriteTemplate(&buf, tpl); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got := x.GetSheetList(); strings.Join(got, ",") != "高层次人才,选项,填写说明" {
		t.Errorf("sheets %v", got)
	}
	if visible, _ := x.GetSheetVisible("选项"); visible {
		t.Error("the list sheet is visible")
	}
	header, _ := x.GetRows("高层次人才")
	if strings.Join(header[0], ",") != strings.Join(importHeader, ",") {
		t.Errorf("header %v", header[0])
	}
	lists, _ := x.GetCols("选项")
	joined := fmt.Sprint(lists)
	if !strings.Contains(joined, "物理学院") || strings.Contains(joined, "已撤销学院") || !strings.Contains(joined, "泰山学者特聘专家") {
		t.Errorf("lists %v", lists)
	}
	dvs, _ := x.GetDataValidations("高层次人才")
	if len(dvs) != 5 {
		t.Errorf("%d dropdowns, want 5 (证件类型, 性别, 二级单位, 类别, 称号)", len(dvs))
	}
	if style, _ := x.GetColStyle("高层次人才", "F"); style == 0 {
		t.Error("the ID column is not text")
	} else if s, _ := x.GetStyle(style); s.NumFmt != 49 {
		t.Errorf("the ID column's format is %d, want 49 (text)", s.NumFmt)
	}
	for i, v := range goodRow(1, "王堃") {
		x.SetCellStr("高层次人才", cellName(i+1, 3), v.(string))
	}
	var filled bytes.Buffer
	x.WriteTo(&filled)
	c, _, err := f.check(t, filled.Bytes())
	if err != nil || c.Rows != 1 || c.Valid != 1 {
		t.Errorf("the filled template: %+v, %v", c, err)
	}
}

// TestATalentClaimsTheImportedRecord: registering with the ID number of an
// imported record, with the same name and mobile, takes that record (its
// application stays); other name or mobile, or a second claim, is refused
// and changes nothing.
func TestATalentClaimsTheImportedRecord(t *testing.T) {
	f := newImportFixture(t)
	c, _, err := f.check(t, sheet(t, importHeader, goodRow(1, "王堃")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := talent.Import(ctx, f.db, f.leader, c, sheetin.AllOrNone, "人才.xlsx", "test", card.Open); err != nil {
		t.Fatal(err)
	}
	imported := c.Ready()[0]
	reg := testdb.Registration("wangkun", 1, imported.DepartmentID)
	reg.Profile = imported.Profile
	reg.Email = "wangkun@sdu.edu.cn"

	wrong := reg
	wrong.Mobile = "13900000001"
	before := testdb.Snapshot(t, f.db)
	if _, err := talent.Register(ctx, f.db, wrong, testdb.FastHash, "", card.Open); err == nil || !strings.Contains(err.Error(), "不一致") {
		t.Errorf("claim with another mobile: %v", err)
	}
	if testdb.Snapshot(t, f.db) != before {
		t.Error("a refused claim changed the database")
	}

	got, err := talent.Register(ctx, f.db, reg, testdb.FastHash, "", card.Open)
	if err != nil {
		t.Fatal(err)
	}
	if f.talents(t) != 1 {
		t.Errorf("%d talents after the claim, want the one record", f.talents(t))
	}
	full, _ := talent.ByID(ctx, f.db, got.ID)
	if full.Username != "wangkun" || full.Email != "wangkun@sdu.edu.cn" {
		t.Errorf("claimed record: %+v", full)
	}
	if open, _ := account.Unclaimed(ctx, f.db, got.ID); open {
		t.Error("the record is still unclaimed")
	}
	if a, err := card.Current(ctx, f.db, got.ID); err != nil || a.State != card.StateSupplement {
		t.Errorf("the application after the claim: %+v %v", a, err)
	}
	again := reg
	again.Username = "wangkun2"
	if _, err := talent.Register(ctx, f.db, again, testdb.FastHash, "", card.Open); !errors.Is(err, talent.ErrDuplicateID) {
		t.Errorf("a second claim: %v", err)
	}
}
