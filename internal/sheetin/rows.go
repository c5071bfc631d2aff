package sheetin

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"huicai/internal/apperr"
)

// headerSearch is how many rows from the top may hold the header: a title
// or a note above it is common.
const headerSearch = 10

// Reader streams the data rows of one sheet under its header.
type Reader struct {
	rows   *excelize.Rows
	cols   []Column
	at     map[int]string // column index → key
	number int            // the sheet's row number of the current row
	count  int
	row    Row
	err    error
	Layout
	Extra []string // headers no column reads: ignored, and listed to the user
}

// Layout is where a sheet's table is: the sheet, its header row's number
// (from 1) and the headers as written.
type Layout struct {
	Sheet   string
	HeadRow int
	Header  []string
	Columns map[string]int // column key → column number (from 1)
}

// Row is one data row: its row number in the sheet and its cells by key,
// cleaned of surrounding spaces, as stored: text as typed, a number as
// Excel keeps it (an ID typed into a number cell: 3.70102199001011E+17; a
// date: its serial number, see Date), a formula's last computed value.
type Row struct {
	Number int
	Cells  map[string]string
}

// Rows finds the header among the first rows of sheet and answers a reader
// of the rows below it. A missing required column, or no header at all, is
// a clear error.
func (f *File) Rows(sheet string, cols []Column) (*Reader, error) {
	rows, err := f.x.Rows(sheet)
	if err != nil {
		return nil, errUnreadble
	}
	r := &Reader{rows: rows, cols: cols, Layout: Layout{Sheet: sheet}}
	for r.number < headerSearch && rows.Next() {
		r.number++
		cells, err := rows.Columns()
		if err != nil {
			return nil, errUnreadble
		}
		if r.header(cells) {
			return r, r.missing()
		}
	}
	rows.Close()
	return nil, apperr.InvalidField("file", "没有找到表头行：第一个工作表的前 10 行中应有“"+cols[0].Header+"”等列名，请使用下载的导入模板")
}

// header takes cells as the header row when they name at least two of the
// columns.
func (r *Reader) header(cells []string) bool {
	at := map[int]string{}
	var extra []string
	for i, h := range cells {
		if Clean(h) == "" {
			continue
		}
		key := ""
		for _, c := range r.cols {
			if c.matches(h) {
				key = c.Key
				break
			}
		}
		if key == "" {
			extra = append(extra, Clean(h))
			continue
		}
		at[i] = key
	}
	if len(at) < 2 {
		return false
	}
	r.at, r.Extra, r.HeadRow, r.Columns = at, extra, r.number, map[string]int{}
	for i, key := range at {
		r.Columns[key] = i + 1
	}
	r.Header = make([]string, len(cells))
	for i, h := range cells {
		r.Header[i] = Clean(h)
	}
	return true
}

// missing names the required columns the header lacks.
func (r *Reader) missing() error {
	have := map[string]bool{}
	for _, k := range r.at {
		have[k] = true
	}
	var lack []string
	for _, c := range r.cols {
		if c.Required && !have[c.Key] {
			lack = append(lack, "“"+c.Header+"”")
		}
	}
	if len(lack) == 0 {
		return nil
	}
	r.rows.Close()
	return apperr.InvalidField("file", "表格缺少必填列："+strings.Join(lack, "、")+"；请使用下载的导入模板")
}

// Next moves to the next row that has any cell filled; false at the end or
// on an error (see Err). Past MaxRows it stops with an error naming the
// limit.
func (r *Reader) Next() bool {
	for r.err == nil && r.rows.Next() {
		r.number++
		cells, err := r.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			r.err = errUnreadble
			return false
		}
		if r.fill(cells) {
			if r.count++; r.count > MaxRows {
				r.err = apperr.InvalidField("file", fmt.Sprintf("表格超过 %d 行的上限，请分成几个文件导入", MaxRows))
				return false
			}
			return true
		}
	}
	return false
}

// fill sets the current row from its cells; false for an empty row.
func (r *Reader) fill(cells []string) bool {
	row := Row{Number: r.number, Cells: map[string]string{}}
	filled := false
	for i, key := range r.at {
		if i < len(cells) {
			row.Cells[key] = Clean(cells[i])
			filled = filled || row.Cells[key] != ""
		}
	}
	r.row = row
	return filled
}

// Row is the current row.
func (r *Reader) Row() Row { return r.row }

// Count is how many data rows were read so far.
func (r *Reader) Count() int { return r.count }

// Err is what stopped the reading early, if anything.
func (r *Reader) Err() error { return r.err }

// Close frees the reader.
func (r *Reader) Close() error { return r.rows.Close() }
