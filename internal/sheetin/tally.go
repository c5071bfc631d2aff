package sheetin

import (
	"fmt"
	"io"
	"sort"

	"huicai/internal/apperr"
)

// Problem is why one row, or one cell of it, cannot be imported.
type Problem struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`  // the column's key
	Column  string `json:"column"` // the column's header; "" for the whole row
	Message string `json:"message"`
}

// Tally is what checking an uploaded sheet found: how many rows can be
// imported, how many are in the database already (a re-import), and the
// problems of the others, row by row.
type Tally struct {
	Rows     int       `json:"rows"`     // data rows read
	Valid    int       `json:"valid"`    // rows that can be imported
	Existing int       `json:"existing"` // rows already recorded: left unchanged
	Invalid  int       `json:"invalid"`  // rows with a problem
	Extra    []string  `json:"extra"`    // headers no column reads: ignored
	Problems []Problem `json:"problems"` // in row order
	layout   Layout
}

// NewTally starts the tally of the sheet r reads.
func NewTally(r *Reader) Tally {
	return Tally{Extra: r.Extra, Problems: []Problem{}, layout: r.Layout}
}

// Count counts one row read and its problems, if any; it reports whether
// the row is good.
func (t *Tally) Count(problems []Problem) bool {
	t.Rows++
	if len(problems) > 0 {
		t.Invalid++
		t.Problems = append(t.Problems, problems...)
		return false
	}
	return true
}

// Empty refuses a sheet with no data row.
func (t *Tally) Empty() error {
	if t.Rows == 0 {
		return apperr.InvalidField("file", "表格中没有数据行：请在表头下方逐行填写后再导入")
	}
	return nil
}

// Report writes the error report of the sheet f that t was made from: the
// sheet itself with a 错误说明 column and the wrong cells marked.
func (t *Tally) Report(w io.Writer, f *File) error {
	notes := make([]Note, len(t.Problems))
	for i, p := range t.Problems {
		notes[i] = Note{Row: p.Row, Key: p.Field, Label: p.Column, Message: p.Message}
	}
	return f.Report(w, t.layout, notes)
}

// ProblemsOf lists the field errors of err (an apperr with fields) for
// row, under their columns' headers, in the columns' order.
func ProblemsOf(row int, err error, cols []Column) []Problem {
	e, _ := apperr.As(err)
	if e == nil {
		return nil
	}
	order, header := map[string]int{}, map[string]string{}
	for i, c := range cols {
		order[c.Key], header[c.Key] = i, c.Header
	}
	var out []Problem
	for field, msg := range e.Fields {
		out = append(out, Problem{Row: row, Field: field, Column: header[field], Message: msg})
	}
	sort.Slice(out, func(i, j int) bool { return order[out[i].Field] < order[out[j].Field] })
	return out
}

// Mode is what to do with a sheet that has bad rows.
type Mode string

// The choices a preview offers.
const (
	ValidRows Mode = "valid" // 仅导入无误的行
	AllOrNone Mode = "all"   // 全部无误才导入
)

// Result is what an import did.
type Result struct {
	Imported int    `json:"imported"`
	Existing int    `json:"existing"` // already recorded: left unchanged
	Skipped  int    `json:"skipped"`  // rows with a problem: not imported
	Message  string `json:"message"`
}

// Start checks mode against the tally before an import of things counted
// by noun (人, 张惠才卡): an error to refuse with, or stop with the result to
// answer when there is nothing new to import.
func (t *Tally) Start(mode Mode, noun string) (res Result, stop bool, err error) {
	res = Result{Existing: t.Existing, Skipped: t.Invalid}
	switch {
	case mode != ValidRows && mode != AllOrNone:
		return res, true, apperr.InvalidField("mode", "请选择导入方式")
	case mode == AllOrNone && t.Invalid > 0:
		return res, true, apperr.Conflict(fmt.Sprintf("有 %d 行存在错误，按“全部无误才导入”未导入任何行；请改正后重新上传，或选择“仅导入无误的行”", t.Invalid))
	case t.Valid == 0 && t.Existing > 0 && t.Invalid == 0:
		res.Message = fmt.Sprintf("表格中的 %d %s均已登记，没有需要导入的新记录，未作任何改动", t.Existing, noun)
		return res, true, nil
	case t.Valid == 0:
		return res, true, apperr.Conflict("没有可以导入的行：请按错误说明改正后重新上传")
	}
	return res, false, nil
}

// Detail is the audit detail of an import of n rows.
func (t *Tally) Detail(n int, noun string) string {
	return fmt.Sprintf("导入 %d %s；已登记未改动 %d %s；有错误未导入 %d 行", n, noun, t.Existing, noun, t.Invalid)
}

// Finish is the result of an import of n rows.
func (t *Tally) Finish(n int, noun string) Result {
	res := Result{Imported: n, Existing: t.Existing, Skipped: t.Invalid, Message: fmt.Sprintf("已导入 %d %s", n, noun)}
	if t.Existing > 0 {
		res.Message += fmt.Sprintf("；%d %s已登记，未改动", t.Existing, noun)
	}
	if t.Invalid > 0 {
		res.Message += fmt.Sprintf("；%d 行有错误，未导入", t.Invalid)
	}
	return res
}
