package export

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// newPDF starts an A4 document with the embedded font and a page-number
// footer (第 N 页 共 M 页), and the writer all its text goes through.
// Creation dates are fixed by the caller's date so that the same data
// gives the same file. The main font holds only the glyphs of chars (see
// subset.go), or all of them if chars is nil.
func newPDF(orientation string, created time.Time, chars *bmpSet) *writer {
	pdf := fpdf.New(orientation, "mm", "A4", "")
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetCatalogSort(true)
	var cut []byte
	if chars != nil {
		cut = mainFont().subset(chars)
	}
	if cut == nil {
		// fpdf writes into the font bytes it is given (cutting a font down
		// at output, it appends to a slice of them): a document gets its own
		// copy of a shared font, or documents made at once race.
		chars, cut = mainCover(), bytes.Clone(fontTTF)
	}
	pdf.AddUTF8FontFromBytes(family, "", cut)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(false, 18)
	pdf.AliasNbPages("{nb}")
	t := newWriter(pdf, chars)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		t.size(9)
		t.text(t.left(), t.bodyWidth(), 6, fmt.Sprintf("第 %d 页 共 {nb} 页", pdf.PageNo()), "C")
	})
	return t
}

// alwaysDrawn are the characters every document may draw whatever its
// data: the footer, the placeholders and ASCII.
var alwaysDrawn = func() string {
	s := "第页共〓□"
	for c := ' '; c <= '~'; c++ {
		s += string(c)
	}
	return s
}()

// render makes a document with draw, its main font cut down to the
// characters of texts and alwaysDrawn. Should draw show a character
// outside them (a text left out of texts), it draws the document again
// with the whole font, so a missed text costs time, never a glyph.
func render(w io.Writer, orientation string, created time.Time, texts []string, draw func(t *writer)) (Undrawn, error) {
	chars := new(bmpSet)
	for _, s := range append(texts, alwaysDrawn) {
		for _, r := range s {
			if r < 0x10000 {
				chars.add(r)
			}
		}
	}
	t := newPDF(orientation, created, chars)
	draw(t)
	if t.missed {
		t = newPDF(orientation, created, nil)
		draw(t)
	}
	return t.output(w)
}

// left is the left margin, where the body starts.
func (t *writer) left() float64 {
	left, _, _, _ := t.pdf.GetMargins()
	return left
}

// bodyWidth is the width between the margins.
func (t *writer) bodyWidth() float64 {
	pageW, _ := t.pdf.GetPageSize()
	left, _, right, _ := t.pdf.GetMargins()
	return pageW - left - right
}

// newPage starts a page and notes where its body starts.
func (t *writer) newPage() {
	t.pdf.AddPage()
	t.top = t.pdf.GetY()
}

// linesLeft is how many lines lh tall fit between y and the bottom margin.
func (t *writer) linesLeft(lh float64) int { return t.linesBelow(t.pdf.GetY(), lh) }

// linesPerPage is how many lines lh tall fit on a page under its headers.
func (t *writer) linesPerPage(lh float64) int { return t.linesBelow(t.top, lh) }

func (t *writer) linesBelow(y, lh float64) int {
	_, pageH := t.pdf.GetPageSize()
	_, _, _, bottom := t.pdf.GetMargins()
	return int((pageH - bottom - y + 1e-6) / lh)
}

// lineHeight is the height of one line of body text in mm; cellPad is the
// space between a cell's border and its text.
const (
	lineHeight = 6
	cellPad    = 1
)

// row draws cells side by side, each value wrapped to its column, all as
// tall as the tallest. A row that does not fit in the room left starts a
// new page; one taller than a page starts at once and goes on over as
// many pages as it needs.
func (t *writer) row(widths []float64, values []string, aligns []string, fill bool) {
	cols := make([][]string, len(values))
	n := 1
	for i, v := range values {
		cols[i] = t.lines(v, widths[i]-2*cellPad)
		n = max(n, len(cols[i]))
	}
	if t.linesLeft(lineHeight) < n && n <= t.linesPerPage(lineHeight) {
		t.newPage()
	}
	for done := 0; done < n; {
		take := min(max(t.linesLeft(lineHeight), 1), n-done)
		t.cells(widths, cols, done, take, aligns, fill)
		if done += take; done < n {
			t.newPage()
		}
	}
}

// cells draws lines [from, from+count) of each column as one band of cells.
func (t *writer) cells(widths []float64, cols [][]string, from, count int, aligns []string, fill bool) {
	x, y := t.left(), t.pdf.GetY()
	h := float64(count) * lineHeight
	for i, col := range cols {
		t.pdf.Rect(x, y, widths[i], h, map[bool]string{true: "FD", false: "D"}[fill])
		for j := from; j < from+count && j < len(col); j++ {
			t.draw(x+cellPad, y+float64(j-from)*lineHeight, widths[i]-2*cellPad, lineHeight, col[j], aligns[i])
		}
		x += widths[i]
	}
	t.pdf.SetY(y + h)
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

// WriteSheetPDF writes the summary sheet on A4 landscape pages, the column
// headers repeated at the top of each page, then the signature block. It
// returns the characters no embedded font has (drawn as 〓).
func WriteSheetPDF(w io.Writer, s Sheet, created time.Time) (Undrawn, error) {
	texts := append([]string{s.Title, s.infoLine()}, signatureLines...)
	for _, c := range s.Columns {
		texts = append(texts, c.Header)
	}
	for _, r := range s.Rows {
		texts = append(texts, r...)
	}
	return render(w, "L", created, texts, func(t *writer) {
		widths := scaleWidths(s.Columns, t.bodyWidth())
		headers, aligns, centered := make([]string, len(s.Columns)), make([]string, len(s.Columns)), make([]string, len(s.Columns))
		for i, c := range s.Columns {
			headers[i], aligns[i], centered[i] = c.Header, "L", "C"
		}
		t.pdf.SetHeaderFunc(func() {
			if t.pdf.PageNo() == 1 {
				t.size(18)
				t.text(t.left(), t.bodyWidth(), 12, s.Title, "C")
				t.size(10)
				t.text(t.left(), t.bodyWidth(), 6, s.infoLine(), "L")
				t.pdf.Ln(2)
			}
			t.size(10)
			t.pdf.SetFillColor(217, 225, 242)
			t.row(widths, headers, centered, true)
		})
		t.newPage()
		t.size(10)
		for _, r := range s.Rows {
			t.row(widths, r, aligns, false)
		}
		t.signatureBlock()
	})
}

// signatureBlock draws the sign-and-stamp lines at the right, on a page of
// their own (without column headers) if this one has no room.
func (t *writer) signatureBlock() {
	_, pageH := t.pdf.GetPageSize()
	if t.pdf.GetY()+40 > pageH-18 {
		t.pdf.SetHeaderFunc(nil)
		t.newPage()
	}
	t.pdf.Ln(10)
	t.size(12)
	for _, line := range signatureLines {
		t.text(t.left()+150, t.bodyWidth()-150, 10, line, "L")
	}
}

func scaleWidths(cols []Column, total float64) []float64 {
	sumW := 0.0
	for _, c := range cols {
		sumW += c.Width
	}
	out := make([]float64, len(cols))
	for i, c := range cols {
		out[i] = c.Width / sumW * total
	}
	return out
}

func (t *writer) output(w io.Writer) (Undrawn, error) {
	if err := t.pdf.Output(w); err != nil {
		return nil, fmt.Errorf("export: pdf: %w", err)
	}
	return t.report(), nil
}

// Field is one labelled value on a form.
type Field struct {
	Label string
	Value string
}

// Section is a titled group of fields on a form.
type Section struct {
	Title  string
	Fields []Field
}

// Form is one applicant's 惠才卡申领表.
type Form struct {
	Title    string
	Subtitle string // unit, batch number and date
	Sections []Section
}

// WriteFormPDF writes a form on A4 portrait pages: each section a table of
// labels and values, long values wrapped. It returns the characters no
// embedded font has (drawn as 〓).
func WriteFormPDF(w io.Writer, f Form, created time.Time) (Undrawn, error) {
	texts := []string{f.Title, f.Subtitle}
	for _, s := range f.Sections {
		texts = append(texts, s.Title)
		for _, fl := range s.Fields {
			texts = append(texts, fl.Label, fl.Value)
		}
	}
	return render(w, "P", created, texts, func(t *writer) {
		t.newPage()
		t.size(18)
		t.text(t.left(), t.bodyWidth(), 12, f.Title, "C")
		t.size(10)
		t.text(t.left(), t.bodyWidth(), 6, f.Subtitle, "C")
		t.pdf.Ln(3)
		widths := []float64{45, t.bodyWidth() - 45}
		for _, s := range f.Sections {
			t.size(12)
			t.pdf.SetFillColor(217, 225, 242)
			t.row([]float64{sum(widths)}, []string{s.Title}, []string{"L"}, true)
			t.size(10)
			for _, fl := range s.Fields {
				t.row(widths, []string{fl.Label, fl.Value}, []string{"L", "L"}, false)
			}
			t.pdf.Ln(3)
		}
	})
}
