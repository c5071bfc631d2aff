package sheetin

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Note is what is wrong with one cell of a row: the column's key and the
// label the message names it by ("" for the whole row).
type Note struct {
	Row     int
	Key     string
	Label   string
	Message string
}

// ReportHeader is the header of the column an error report adds.
const ReportHeader = "错误说明"

// Report writes the uploaded workbook back with a 错误说明 column after the
// table saying what is wrong with each row, and the wrong cells filled
// red: the user corrects the sheet itself and imports it again.
func (f *File) Report(w io.Writer, l Layout, notes []Note) error {
	col := len(l.Header) + 1
	if len(l.Header) > 0 && l.Header[len(l.Header)-1] == ReportHeader {
		col-- // a report imported again: its column is rewritten
	}
	head, err := f.x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}})
	if err != nil {
		return err
	}
	wrong, err := f.x.NewStyle(&excelize.Style{NumFmt: 49, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}},
		Font: &excelize.Font{Color: "9C0006"}})
	if err != nil {
		return err
	}
	colName, _ := excelize.ColumnNumberToName(col)
	if err := f.x.SetColWidth(l.Sheet, colName, colName, 60); err != nil {
		return err
	}
	if err := f.setCell(l.Sheet, col, l.HeadRow, ReportHeader, head); err != nil {
		return err
	}
	for row, list := range byRow(notes) {
		var lines []string
		for _, n := range list {
			lines = append(lines, strings.TrimPrefix(n.Label+"：", "：")+n.Message)
			if c, ok := l.Columns[n.Key]; ok {
				name, _ := excelize.CoordinatesToCellName(c, row)
				if err := f.x.SetCellStyle(l.Sheet, name, name, wrong); err != nil {
					return err
				}
			}
		}
		if err := f.setCell(l.Sheet, col, row, strings.Join(lines, "；"), 0); err != nil {
			return err
		}
	}
	return f.x.Write(w)
}

func (f *File) setCell(sheet string, col, row int, v string, style int) error {
	name, _ := excelize.CoordinatesToCellName(col, row)
	if err := f.x.SetCellStr(sheet, name, v); err != nil {
		return fmt.Errorf("sheetin: report: %w", err)
	}
	if style == 0 {
		return nil
	}
	return f.x.SetCellStyle(sheet, name, name, style)
}

// byRow groups notes by row, each row's in the order given.
func byRow(notes []Note) map[int][]Note {
	out := map[int][]Note{}
	for _, n := range notes {
		out[n.Row] = append(out[n.Row], n)
	}
	return out
}
