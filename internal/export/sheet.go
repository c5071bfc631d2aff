// Package export writes the papers a batch produces: the summary sheet as
// xlsx and PDF (printed, signed and stamped by the unit) and one form PDF
// per applicant. It knows layouts, not business areas: callers hand it
// columns, rows and fields.
package export

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Column is one column of a summary sheet.
type Column struct {
	Header string
	// Width in characters (xlsx) and relative width (PDF).
	Width float64
	// Text keeps values such as ID numbers and phones as text, never numbers.
	Text bool
}

// Sheet is a summary sheet (汇总表 / 一览表).
type Sheet struct {
	Title    string // e.g. 惠才卡申领汇总表
	UnitName string
	USCC     string
	BatchNo  string
	Date     string // 2026年11月29日
	Contact  string // 联系人 and 联系电话, shown under the heading
	Columns  []Column
	Rows     [][]string
}

const sheetName = "汇总表"

// infoLine is the line under the title naming the unit, batch and date.
func (s Sheet) infoLine() string {
	line := fmt.Sprintf("单位名称：%s    统一社会信用代码：%s    批次号：%s    日期：%s", s.UnitName, s.USCC, s.BatchNo, s.Date)
	if s.Contact != "" {
		line += "    " + s.Contact
	}
	return line
}

// signatureLines are the sign-and-stamp block under the table.
var signatureLines = []string{"单位负责人（签字）：", "单位（盖章）：", "年    月    日"}

// WriteXLSX writes the sheet: merged title, an info line, bold bordered
// headers, text-format IDs and phones, A4 landscape fitted to the page
// width, the header rows repeated on every printed page, and the signature
// block at the end.
func WriteXLSX(w io.Writer, s Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return err
	}
	x := &xlsxWriter{f: f, cols: len(s.Columns)}
	x.title(s)
	x.header(s.Columns)
	x.rows(s)
	x.signature(len(s.Rows) + 5)
	x.layout(s.Columns)
	if x.err != nil {
		return fmt.Errorf("export: xlsx: %w", x.err)
	}
	_, err := f.WriteTo(w)
	return err
}

type xlsxWriter struct {
	f    *excelize.File
	cols int
	err  error
}

func (x *xlsxWriter) do(err error) {
	if x.err == nil {
		x.err = err
	}
}

func (x *xlsxWriter) style(s *excelize.Style) int {
	id, err := x.f.NewStyle(s)
	x.do(err)
	return id
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

var thin = []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
	{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}

func (x *xlsxWriter) title(s Sheet) {
	last := cell(x.cols, 1)
	x.do(x.f.MergeCell(sheetName, "A1", last))
	x.do(x.f.SetCellValue(sheetName, "A1", s.Title))
	x.do(x.f.SetCellStyle(sheetName, "A1", last, x.style(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Size: 18},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
	})))
	x.do(x.f.SetRowHeight(sheetName, 1, 36))
	x.do(x.f.MergeCell(sheetName, "A2", cell(x.cols, 2)))
	x.do(x.f.SetCellValue(sheetName, "A2", s.infoLine()))
	x.do(x.f.SetCellStyle(sheetName, "A2", cell(x.cols, 2), x.style(&excelize.Style{
		Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"},
	})))
	x.do(x.f.SetRowHeight(sheetName, 2, 22))
}

// headerRow is where the column headers are; print titles repeat rows 1–3.
const headerRow = 3

func (x *xlsxWriter) header(cols []Column) {
	st := x.style(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Border:    thin,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	})
	for i, c := range cols {
		x.do(x.f.SetCellValue(sheetName, cell(i+1, headerRow), c.Header))
	}
	x.do(x.f.SetCellStyle(sheetName, cell(1, headerRow), cell(len(cols), headerRow), st))
	x.do(x.f.SetRowHeight(sheetName, headerRow, 24))
}

func (x *xlsxWriter) rows(s Sheet) {
	plain := x.style(&excelize.Style{Border: thin, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	text := x.style(&excelize.Style{Border: thin, NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	for r, row := range s.Rows {
		for c, v := range row {
			ref := cell(c+1, headerRow+1+r)
			if s.Columns[c].Text {
				x.do(x.f.SetCellStr(sheetName, ref, v))
				x.do(x.f.SetCellStyle(sheetName, ref, ref, text))
			} else {
				x.do(x.f.SetCellStr(sheetName, ref, v))
				x.do(x.f.SetCellStyle(sheetName, ref, ref, plain))
			}
		}
	}
}

func (x *xlsxWriter) signature(row int) {
	for i, line := range signatureLines {
		ref := cell(x.cols-2, row+i*2)
		if x.cols < 3 {
			ref = cell(1, row+i*2)
		}
		x.do(x.f.SetCellValue(sheetName, ref, line))
	}
}

func (x *xlsxWriter) layout(cols []Column) {
	for i, c := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		x.do(x.f.SetColWidth(sheetName, name, name, c.Width))
	}
	size, orientation, one, zero, fit := 9, "landscape", 1, 0, true // 9 is A4
	x.do(x.f.SetPageLayout(sheetName, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation, FitToWidth: &one, FitToHeight: &zero}))
	x.do(x.f.SetSheetProps(sheetName, &excelize.SheetPropsOptions{FitToPage: &fit}))
	x.do(x.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$%d", sheetName, headerRow), Scope: sheetName}))
	horizontal := true
	x.do(x.f.SetPageMargins(sheetName, &excelize.PageLayoutMarginsOptions{Horizontally: &horizontal}))
}
