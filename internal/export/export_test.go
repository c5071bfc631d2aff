package export

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var rareNames = []string{"王堃", "李喆", "张赟", "陈镕", "刘珺"}

func sampleSheet(n int) Sheet {
	s := Sheet{Title: "惠才卡申领汇总表", UnitName: "山东大学", USCC: "12370000495570512F", BatchNo: "HC20261129-01",
		Date: "2026年11月29日", Contact: "联系人：张三  联系电话：0531-88364000",
		Columns: []Column{{"序号", 6, false}, {"姓名", 10, false}, {"性别", 6, false}, {"证件类型", 12, false},
			{"证件号码", 22, true}, {"二级单位", 18, false}, {"人才类别", 16, false}, {"人才称号", 18, false}, {"手机号码", 14, true}}}
	for i := 0; i < n; i++ {
		name := rareNames[i%len(rareNames)]
		s.Rows = append(s.Rows, []string{itoa(i + 1), name, "男", "居民身份证", "37010219800101123X", "物理学院", "泰山学者",
			"泰山学者特聘专家", "01380013800"})
	}
	return s
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestXLSXConventions(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, sampleSheet(60)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	merged, _ := f.GetMergeCells(sheetName)
	if len(merged) == 0 || merged[0].GetStartAxis() != "A1" || merged[0].GetEndAxis() != "I1" || merged[0].GetCellValue() != "惠才卡申领汇总表" {
		t.Errorf("title not merged across the table: %+v", merged)
	}
	if v, _ := f.GetCellValue(sheetName, "E4"); v != "37010219800101123X" {
		t.Errorf("ID cell %q", v)
	}
	if typ, _ := f.GetCellType(sheetName, "I4"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("phone cell type %v, want text", typ)
	}
	if v, _ := f.GetCellValue(sheetName, "I4"); v != "01380013800" {
		t.Errorf("phone lost its leading zero: %q", v)
	}
	style, _ := f.GetCellStyle(sheetName, "E4")
	st, _ := f.GetStyle(style)
	if st.NumFmt != 49 {
		t.Errorf("ID column number format %d, want 49 (@ text)", st.NumFmt)
	}
	hs, _ := f.GetCellStyle(sheetName, "A3")
	header, _ := f.GetStyle(hs)
	if !header.Font.Bold || len(header.Border) != 4 {
		t.Errorf("header style %+v", header)
	}
	names := f.GetDefinedName()
	found := false
	for _, n := range names {
		found = found || (n.Name == "_xlnm.Print_Titles" && strings.Contains(n.RefersTo, "$1:$3"))
	}
	if !found {
		t.Errorf("no print titles: %+v", names)
	}
	layout, _ := f.GetPageLayout(sheetName)
	if *layout.Size != 9 || *layout.Orientation != "landscape" || *layout.FitToWidth != 1 {
		t.Errorf("page layout %+v", layout)
	}
	last := 4 + 60 + 1
	if v, _ := f.GetCellValue(sheetName, cell(7, last)); v != "单位负责人（签字）：" {
		t.Errorf("signature block missing, got %q", v)
	}
	checkPrintsWhole(t, f, 60)
}

// checkPrintsWhole checks what makes the sheet print and read well: the
// title and header frozen, an autofilter over the table, the page fitted.
func checkPrintsWhole(t *testing.T, f *excelize.File, rows int) {
	t.Helper()
	panes, _ := f.GetPanes(sheetName)
	if !panes.Freeze || panes.YSplit != headerRow || panes.TopLeftCell != "A4" {
		t.Errorf("panes %+v, want the first %d rows frozen", panes, headerRow)
	}
	found := false
	for _, n := range f.GetDefinedName() {
		found = found || (n.Name == "_xlnm._FilterDatabase" && strings.HasSuffix(n.RefersTo, fmt.Sprintf("$A$3:$I$%d", 3+rows)))
	}
	if !found {
		t.Errorf("no autofilter over A3:I%d: %+v", 3+rows, f.GetDefinedName())
	}
	props, _ := f.GetSheetProps(sheetName)
	if props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("the page is not fitted: %+v", props)
	}
}

// TestWrappedRowsAreTallEnough: a row whose 人才称号 wraps to three lines in
// its column is three lines tall, so it prints whole.
func TestWrappedRowsAreTallEnough(t *testing.T) {
	s := sampleSheet(2)
	s.Rows[1][7] = "泰山学者特聘专家、国家杰出青年科学基金获得者、长江学者"
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, s); err != nil {
		t.Fatal(err)
	}
	f, _ := excelize.OpenReader(&buf)
	one, _ := f.GetRowHeight(sheetName, 4)
	three, _ := f.GetRowHeight(sheetName, 5)
	if one != sheetLineHeight || three < 3*sheetLineHeight {
		t.Errorf("row heights %v and %v, want %v and at least %v", one, three, sheetLineHeight, 3*sheetLineHeight)
	}
}

// TestBigSheetStaysInMemory: excelize's StreamWriter moves a sheet of
// over 16 MB into a temporary file, in the clear. WriteXLSX names it a
// temporary folder no file can be made in, so it keeps the stream in
// memory, and a sheet of 30,000 rows (18 MB) still comes out whole.
func TestBigSheetStaysInMemory(t *testing.T) {
	if f, err := os.CreateTemp(inMemory, "excelize-"); err == nil {
		f.Close()
		os.Remove(f.Name())
		t.Fatalf("a temporary file can be made in %s", inMemory)
	}
	if testing.Short() {
		t.Skip("writes an 18 MB sheet")
	}
	s := sampleSheet(30000)
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, s); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	last := cell(2, headerRow+len(s.Rows))
	if v, _ := f.GetCellValue(sheetName, last); v != s.Rows[len(s.Rows)-1][1] {
		t.Errorf("last row's name %q, want %q", v, s.Rows[len(s.Rows)-1][1])
	}
}

// pdfText extracts a PDF's text with poppler's pdftotext (installed by
// scripts/setup.sh), without spaces.
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "out.pdf")
	os.WriteFile(path, data, 0o600)
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.ReplaceAll(string(out), " ", "") // pdftotext spaces CJK apart unevenly
}

func TestSheetPDFPrintsRareNamesAndPageNumbers(t *testing.T) {
	var buf bytes.Buffer
	if _, err := WriteSheetPDF(&buf, sampleSheet(40), time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	for _, want := range append(rareNames, "惠才卡申领汇总表", "12370000495570512F", "37010219800101123X", "第1页共2页", "第2页共2页", "单位（盖章）") {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	if strings.Count(text, "证件号码") < 2 {
		t.Error("column headers are not repeated on the second page")
	}
}

func TestFormPDF(t *testing.T) {
	var buf bytes.Buffer
	form := Form{Title: "惠才卡申领表", Subtitle: "山东大学  批次号 HC20261129-01", Sections: []Section{
		{Title: "个人基本信息", Fields: []Field{{"姓名", "张赟"}, {"证件号码", "37010219800101123X"}}},
		{Title: "主要业绩与贡献", Fields: []Field{{"主要业绩与贡献", strings.Repeat("主持国家重点研发计划项目，", 150)}}},
	}}
	if _, err := WriteFormPDF(&buf, form, time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	for _, want := range []string{"惠才卡申领表", "张赟", "个人基本信息", "第1页共"} {
		if !strings.Contains(text, want) {
			t.Errorf("form text lacks %q", want)
		}
	}
}

// TestInfoLineKeepsEveryCharacterWhereItWraps reproduces issue 10: the
// sheet's info line, drawn with fpdf's MultiCell, lost the 话 of 联系电话
// where it wrapped. Unit names of 4 to 40 characters move the break along
// the line; each that breaks inside 联系电话 is drawn and read back.
func TestInfoLineKeepsEveryCharacterWhereItWraps(t *testing.T) {
	layout := newPDF("L", created, nil)
	layout.size(10)
	tried := 0
	for extra := 0; extra <= 36; extra++ {
		s := sampleSheet(1)
		s.UnitName = "山东大学" + strings.Repeat("附", extra)
		s.Contact = "联系人：欧阳明  联系电话：0531-88364000 转 8001"
		if !breaksInside(layout.lines(s.infoLine(), layout.bodyWidth()), "联系电话") {
			continue
		}
		tried++
		var buf bytes.Buffer
		if _, err := WriteSheetPDF(&buf, s, created); err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(pdfText(t, buf.Bytes()), "\n", "")
		if want := strings.ReplaceAll(s.infoLine(), " ", ""); !strings.Contains(text, want) {
			t.Errorf("unit name of %d characters: PDF text lacks the info line %q:\n%s", 4+extra, want, text)
		}
	}
	if tried != 3 {
		t.Errorf("%d unit names break 联系电话, want 3 (联|系电话, 联系|电话, 联系电|话)", tried)
	}
}

// breaksInside reports whether a line break falls inside word.
func breaksInside(lines []string, word string) bool {
	joined := strings.Join(lines, "|")
	for i := range word {
		if i > 0 && strings.Contains(joined, word[:i]+"|"+word[i:]) {
			return true
		}
	}
	return false
}

// TestRowTallerThanAPageGoesOnOverPages: a value longer than a page used
// to run off the bottom of it, and what was below the page was lost.
func TestRowTallerThanAPageGoesOnOverPages(t *testing.T) {
	form := Form{Title: "惠才卡申领表", Subtitle: "山东大学", Sections: []Section{
		{Title: "主要业绩与贡献", Fields: []Field{{"主要业绩与贡献", strings.Repeat("主持国家重点研发计划项目，", 150) + "完"}}},
	}}
	var buf bytes.Buffer
	if _, err := WriteFormPDF(&buf, form, created); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	if !strings.Contains(text, "第2页共2页") {
		t.Errorf("the long value does not go on over 2 pages:\n%s", text)
	}
	text = regexp.MustCompile(`\s|第\d页共\d页`).ReplaceAllString(text, "")
	if n := strings.Count(text, "主持国家重点研发计划项目，"); n != 150 || !strings.HasSuffix(text, "项目，完") {
		t.Errorf("PDF text holds %d of the 150 sentences, or lacks the end:\n%s", n, text)
	}
}
