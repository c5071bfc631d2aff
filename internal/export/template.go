package export

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Template is an import template (导入模板): one column per field under
// its Chinese header, dropdowns for the fields with a list, text format
// for numbers that must stay text, an example row and an instruction sheet.
type Template struct {
	Sheet   string // the sheet users fill, e.g. 高层次人才
	Columns []TemplateColumn
	Example []string // one value per column; its first cell starts with 示例
	Notes   []string // the instruction sheet's lines
}

// TemplateColumn is one column of a template.
type TemplateColumn struct {
	Header   string
	Width    float64
	Required bool
	// Text formats the column as text (ID numbers, phones, dates as typed).
	Text bool
	// List, when set, is the dropdown's choices, kept on a hidden sheet.
	List []string
}

// templateRows is how far down the dropdowns and formats reach.
const templateRows = 10001

const (
	listSheet  = "选项"
	notesSheet = "填写说明"
)

// WriteTemplate writes t as an xlsx workbook.
func WriteTemplate(w io.Writer, t Template) error {
	f := excelize.NewFile() // no personal data: nothing to keep off the disk
	defer f.Close()
	x := &xlsxWriter{f: f, cols: len(t.Columns)}
	x.do(f.SetSheetName("Sheet1", t.Sheet))
	x.templateHeader(t)
	x.templateLists(t)
	for i, v := range t.Example {
		x.do(f.SetCellStr(t.Sheet, cell(i+1, 2), v))
	}
	x.do(f.SetPanes(t.Sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
	x.templateNotes(t.Notes)
	f.SetActiveSheet(0)
	if x.err != nil {
		return fmt.Errorf("export: template: %w", x.err)
	}
	_, err := f.WriteTo(w)
	return err
}

// templateHeader writes the bold header row (required columns in red,
// with a *) and each column's width and format.
func (x *xlsxWriter) templateHeader(t Template) {
	head := x.style(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: thin,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	required := x.style(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}, Border: thin,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	text := x.style(&excelize.Style{NumFmt: 49})
	for i, c := range t.Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		x.do(x.f.SetColWidth(t.Sheet, col, col, c.Width))
		if c.Text {
			x.do(x.f.SetColStyle(t.Sheet, col, text))
		}
		x.do(x.f.SetCellStr(t.Sheet, cell(i+1, 1), c.Header))
		x.do(x.f.SetCellStyle(t.Sheet, cell(i+1, 1), cell(i+1, 1), map[bool]int{true: required, false: head}[c.Required]))
	}
	x.do(x.f.SetRowHeight(t.Sheet, 1, 22))
}

// templateLists puts each column's choices in a column of the hidden list
// sheet and a dropdown on the column that refers to it (a list in the
// dropdown itself is limited to 255 characters).
func (x *xlsxWriter) templateLists(t Template) {
	if _, err := x.f.NewSheet(listSheet); err != nil {
		x.do(err)
		return
	}
	n := 0
	for i, c := range t.Columns {
		if len(c.List) == 0 {
			continue
		}
		n++
		listCol, _ := excelize.ColumnNumberToName(n)
		for r, v := range c.List {
			x.do(x.f.SetCellStr(listSheet, cell(n, r+1), v))
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, templateRows))
		dv.SetSqrefDropList(fmt.Sprintf("'%s'!$%s$1:$%s$%d", listSheet, listCol, listCol, len(c.List)))
		dv.SetError(excelize.DataValidationErrorStyleStop, "输入值不在可选范围内", "请从下拉列表中选择"+c.Header)
		x.do(x.f.AddDataValidation(t.Sheet, dv))
	}
	x.do(x.f.SetSheetVisible(listSheet, false))
}

// templateNotes writes the instruction sheet.
func (x *xlsxWriter) templateNotes(notes []string) {
	if _, err := x.f.NewSheet(notesSheet); err != nil {
		x.do(err)
		return
	}
	x.do(x.f.SetColWidth(notesSheet, "A", "A", 110))
	wrap := x.style(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	for i, line := range notes {
		x.do(x.f.SetCellStr(notesSheet, cell(1, i+1), line))
		x.do(x.f.SetCellStyle(notesSheet, cell(1, i+1), cell(1, i+1), wrap))
	}
}
