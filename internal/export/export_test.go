package export

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
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
}

// pdfText extracts a PDF's text with poppler's pdftotext (installed by scripts/setup.sh).
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
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
	if err := WriteSheetPDF(&buf, sampleSheet(40), time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)); err != nil {
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
	if err := WriteFormPDF(&buf, form, time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	for _, want := range []string{"惠才卡申领表", "张赟", "个人基本信息", "第1页共"} {
		if !strings.Contains(text, want) {
			t.Errorf("form text lacks %q", want)
		}
	}
}
