// Package export writes the papers a batch produces: the summary sheet as
// xlsx and PDF (printed, signed and stamped by the unit) and one form PDF
// per applicant. It knows layouts, not business areas: callers hand it
// columns, rows and fields.
package export

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"huicai/internal/gctune"
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
// headers with an autofilter, frozen on screen and repeated on every
// printed page, text-format IDs and phones, rows as tall as their wrapped
// text, A4 landscape fitted to the page width, and the signature block at
// the end. The rows are streamed (excelize's StreamWriter), so a
// sheet of thousands of rows costs little more than its cells; the stream
// is kept in memory, never in a temporary file, since the rows hold
// personal data (see inMemory).
func WriteXLSX(w io.Writer, s Sheet) error {
	defer gctune.While(xlsxGC)()
	f := excelize.NewFile(excelize.Options{TmpDir: inMemory})
	defer f.Close()
	x := &xlsxWriter{f: f, cols: len(s.Columns)}
	x.do(f.SetSheetName("Sheet1", sheetName))
	x.layout(len(s.Rows)) // before the stream starts: it writes the sheet's properties first
	if x.err == nil {
		x.sw, x.err = f.NewStreamWriter(sheetName)
	}
	x.freezeHeader()
	x.widths(s.Columns)
	x.title(s)
	x.header(s.Columns)
	x.rows(s)
	x.signature(headerRow + len(s.Rows) + 2)
	if x.err == nil {
		x.err = x.sw.Flush()
	}
	if x.err != nil {
		return fmt.Errorf("export: xlsx: %w", x.err)
	}
	_, err := f.WriteTo(w)
	return err
}

// xlsxGC is the collector's setting while a sheet is written (an export
// of papers sets the same for all of them). The stream keeps the sheet's
// XML in one buffer grown by doubling, 10 MB for 9,000 rows, and at the
// default GOGC collecting around it made such a sheet 1.3–1.6× a bare
// StreamWriter's time in a fresh process, 1.0–1.1× at GOGC 200 or 400.
var xlsxGC = gctune.Setting{Percent: 400, Limit: 100 << 20}

// inMemory is where excelize would spill a stream over 16 MB to a
// temporary file: a folder that cannot exist, so that it keeps the stream
// in memory instead (it falls back to memory when it cannot create the
// file), and no row is ever on disk in the clear.
var inMemory = filepath.Join(os.DevNull, "none")

type xlsxWriter struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
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

// row streams one row of cells, row counting from 1; a height of 0 is
// the sheet's default.
func (x *xlsxWriter) row(row int, cells []any, height float64) {
	if x.err == nil {
		x.err = x.sw.SetRow(cell(1, row), cells, excelize.RowOpts{Height: height})
	}
}

// styled is n cells of style st, the first holding v.
func styled(n, st int, v any) []any {
	cells := make([]any, n)
	for i := range cells {
		cells[i] = excelize.Cell{StyleID: st}
	}
	cells[0] = excelize.Cell{StyleID: st, Value: v}
	return cells
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

var thin = []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
	{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}

func (x *xlsxWriter) title(s Sheet) {
	x.do(x.sw.MergeCell("A1", cell(x.cols, 1)))
	x.row(1, styled(x.cols, x.style(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Size: 18},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
	}), s.Title), 36)
	x.do(x.sw.MergeCell("A2", cell(x.cols, 2)))
	x.row(2, styled(x.cols, x.style(&excelize.Style{
		Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"},
	}), s.infoLine()), 22)
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
	cells := make([]any, len(cols))
	for i, c := range cols {
		cells[i] = excelize.Cell{StyleID: st, Value: c.Header}
	}
	x.row(headerRow, cells, 24)
}

// rows streams the table, every value a string; the text columns (IDs,
// phones) are formatted as text too, so Excel never turns them into numbers.
func (x *xlsxWriter) rows(s Sheet) {
	plain := x.style(&excelize.Style{Border: thin, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	text := x.style(&excelize.Style{Border: thin, NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	styles := make([]int, len(s.Columns))
	for c, col := range s.Columns {
		styles[c] = map[bool]int{true: text, false: plain}[col.Text]
	}
	// Reused, and boxed once: SetRow writes the row out before it returns.
	vals := make([]excelize.Cell, len(s.Columns))
	cells := make([]any, len(s.Columns))
	for c := range cells {
		vals[c].StyleID = styles[c]
		cells[c] = &vals[c]
	}
	for r, row := range s.Rows {
		for c, v := range row {
			vals[c].Value = v
		}
		x.row(headerRow+1+r, cells[:len(row)], tableRowHeight(rowHeight(s.Columns, row)))
	}
}

// tableRowHeight is the height a table row states: none when it is one
// line tall, which is the sheet's default row height (see layout); a
// ht attribute on each of thousands of rows is bytes for nothing.
func tableRowHeight(h float64) float64 {
	if h == sheetLineHeight {
		return 0
	}
	return h
}

// signature writes the sign-and-stamp lines from row on, every other row,
// in the third column from the right.
func (x *xlsxWriter) signature(row int) {
	col := max(x.cols-2, 1)
	for i, line := range signatureLines {
		x.do(x.sw.SetRow(cell(col, row+i*2), []any{line}))
	}
}

// widths sets the column widths, before the first row.
func (x *xlsxWriter) widths(cols []Column) {
	for i, c := range cols {
		if x.err == nil {
			x.err = x.sw.SetColWidth(i+1, i+1, c.Width)
		}
	}
}

// layout gives the table an autofilter on its header and prints the sheet
// on A4 landscape, fitted to the page width and centred, with the title
// and header rows on every page.
func (x *xlsxWriter) layout(rows int) {
	// The filter first: excelize's AutoFilter replaces the sheet's properties that FitToPage sets.
	if rows > 0 {
		x.do(x.f.AutoFilter(sheetName, fmt.Sprintf("A%d:%s", headerRow, cell(x.cols, headerRow+rows)), nil))
	}
	size, orientation, one, zero, fit := 9, "landscape", 1, 0, true // 9 is A4
	x.do(x.f.SetPageLayout(sheetName, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation, FitToWidth: &one, FitToHeight: &zero}))
	// One-line table rows are the default height and state none (see tableRowHeight).
	lineHeight := sheetLineHeight
	x.do(x.f.SetSheetProps(sheetName, &excelize.SheetPropsOptions{FitToPage: &fit, DefaultRowHeight: &lineHeight, CustomHeight: &fit}))
	x.do(x.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$%d", sheetName, headerRow), Scope: sheetName}))
	horizontal := true
	x.do(x.f.SetPageMargins(sheetName, &excelize.PageLayoutMarginsOptions{Horizontally: &horizontal}))
}

// freezeHeader keeps the title and header rows on screen while the table
// scrolls; before the first row, as the stream writes the sheet's views
// first.
func (x *xlsxWriter) freezeHeader() {
	if x.err == nil {
		x.err = x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: cell(1, headerRow+1),
			ActivePane: "bottomLeft", Selection: []excelize.Selection{{SQRef: cell(1, headerRow+1), ActiveCell: cell(1, headerRow+1), Pane: "bottomLeft"}}})
	}
}
