package sheetin_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"huicai/internal/apperr"
	"huicai/internal/sheetin"
)

var cols = []sheetin.Column{{Key: "name", Header: "姓名", Required: true}, {Key: "id", Header: "证件号码", Required: true}}

func open(t *testing.T, x *excelize.File) *sheetin.File {
	t.Helper()
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := sheetin.Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "a.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestCellsAreCleaned(t *testing.T) {
	for in, want := range map[string]string{" 王堃\u3000": "王堃", "\u00a0李喆 ": "李喆", "\ufeff张赟": "张赟"} {
		if got := sheetin.Clean(in); got != want {
			t.Errorf("Clean(%q) = %q", in, got)
		}
	}
	if got := sheetin.HalfWidth("３７０１０２ １９８００５１２００３Ｘ"); got != "37010219800512003X" {
		t.Errorf("HalfWidth: %q", got)
	}
	for in, want := range map[string]string{"1980-05-12": "1980-05-12", "1980/5/12": "1980-05-12", "1980.5.12": "1980-05-12",
		"1980年5月12日": "1980-05-12", "29353": "1980-05-12", "29353.5": "1980-05-12", "昨天": "昨天", "1980-13-01": "1980-13-01"} {
		if got := sheetin.Date(in); got != want {
			t.Errorf("Date(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]bool{"3.70102E+17": true, "3.70102198005121E+17": true, "1e+10": true, "370102198005120035": false, "E+17": false} {
		if sheetin.Scientific(in) != want {
			t.Errorf("Scientific(%q) != %v", in, want)
		}
	}
}

// TestFormulasAndLinksAreTheirText: a formula is never evaluated (its
// stored value, none here, is what is read) and a hyperlink reads as its
// text.
func TestFormulasAndLinksAreTheirText(t *testing.T) {
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]string{"姓名", "证件号码"})
	x.SetCellFormula("Sheet1", "A2", `HYPERLINK("http://evil.example","王堃")`)
	x.SetCellStr("Sheet1", "B2", "=1+1")
	x.SetCellStr("Sheet1", "A3", "李喆")
	x.SetCellHyperLink("Sheet1", "A3", "http://evil.example", "External")
	x.SetCellStr("Sheet1", "B3", "370102198005120035")
	r, err := open(t, x).Rows("Sheet1", cols)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for r.Next() {
		got = append(got, r.Row().Cells["name"]+"|"+r.Row().Cells["id"])
	}
	if strings.Join(got, ";") != "|=1+1;李喆|370102198005120035" {
		t.Errorf("rows %q", got)
	}
}

// TestOverTheRowLimitIsRefused: the row after MaxRows stops the reading
// with a message naming the limit.
func TestOverTheRowLimitIsRefused(t *testing.T) {
	x := excelize.NewFile()
	sw, _ := x.NewStreamWriter("Sheet1")
	sw.SetRow("A1", []any{"姓名", "证件号码"})
	for i := 2; i <= sheetin.MaxRows+2; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		sw.SetRow(cell, []any{"王堃", "370102198005120035"})
	}
	sw.Flush()
	r, err := open(t, x).Rows("Sheet1", cols)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
	}
	e, _ := apperr.As(r.Err())
	if e == nil || !strings.Contains(e.Fields["file"], "100000 行") || r.Count() != sheetin.MaxRows+1 {
		t.Errorf("after %d rows: %v", r.Count(), r.Err())
	}
}
