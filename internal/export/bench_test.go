package export

import (
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// benchForm is a typical applicant form: a dozen short fields and one long
// value that wraps over many lines.
func benchForm() Form {
	return Form{Title: "惠才卡申领表", Subtitle: "山东大学    批次号：HC20261129-01", Sections: []Section{
		{Title: "个人基本信息", Fields: []Field{{"姓名", "张赟"}, {"性别", "男"}, {"证件类型", "居民身份证"},
			{"证件号码", "37010219800101123X"}, {"手机号码", "13800138000"}, {"二级单位", "物理学院"}}},
		{Title: "人才信息", Fields: []Field{{"人才类别", "泰山学者"}, {"人才称号", "泰山学者特聘专家"}, {"认定时间", "2024年05月01日"}}},
		{Title: "主要业绩与贡献", Fields: []Field{{"主要业绩与贡献", strings.Repeat("主持国家重点研发计划项目，发表高水平论文多篇。", 20)}}},
	}}
}

// BenchmarkFormPDF is the cost of one applicant form, the unit of a
// batch export.
func BenchmarkFormPDF(b *testing.B) {
	form := benchForm()
	if _, err := WriteFormPDF(io.Discard, form, created); err != nil { // reads the main font's tables, once per process
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := WriteFormPDF(io.Discard, form, created); err != nil {
			b.Fatal(err)
		}
	}
}

// benchRows is the size of a big unit's card batch.
const benchRows = 9000

// BenchmarkXLSX writes the summary sheet of a 9,000-row batch; compare it
// with BenchmarkXLSXBareStream, the same cells through a bare StreamWriter
// (issue 13: at most 1.5 times its time).
func BenchmarkXLSX(b *testing.B) {
	s := sampleSheet(benchRows)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteXLSX(io.Discard, s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkXLSXBareStream writes the cells of BenchmarkXLSX's sheet with
// excelize's StreamWriter and nothing else: no styles, merges or layout.
func BenchmarkXLSXBareStream(b *testing.B) {
	s := sampleSheet(benchRows)
	b.ReportAllocs()
	for b.Loop() {
		if err := bareStream(io.Discard, s); err != nil {
			b.Fatal(err)
		}
	}
}

// bareStream writes the sheet's title, headers and rows as plain cells.
func bareStream(w io.Writer, s Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	headers := make([]any, len(s.Columns))
	for i, c := range s.Columns {
		headers[i] = c.Header
	}
	rows := [][]any{{s.Title}, {s.infoLine()}, headers}
	for _, r := range s.Rows {
		cells := make([]any, len(r))
		for i, v := range r {
			cells[i] = v
		}
		rows = append(rows, cells)
	}
	for i, r := range rows {
		if err := sw.SetRow(cell(1, i+1), r); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// BenchmarkSheetPDF writes the summary sheet of a 9,000-row batch as PDF,
// one paper of the batch that one writer makes while the others make the
// forms.
func BenchmarkSheetPDF(b *testing.B) {
	s := sampleSheet(benchRows)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := WriteSheetPDF(io.Discard, s, created); err != nil {
			b.Fatal(err)
		}
	}
}
