package export

import (
	_ "embed"
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// fontTTF covers ASCII and GBK, rare name characters included (see font/README.md).
//
//go:embed font/wqy-microhei.ttf
var fontTTF []byte

const family = "wqy"

// newPDF starts an A4 document with the embedded font and a page-number
// footer (第 N 页 共 M 页). Creation dates are fixed by the caller's date so
// that the same data gives the same file.
func newPDF(orientation string, created time.Time) *fpdf.Fpdf {
	pdf := fpdf.New(orientation, "mm", "A4", "")
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetCatalogSort(true)
	pdf.AddUTF8FontFromBytes(family, "", fontTTF)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont(family, "", 9)
		pdf.CellFormat(0, 6, fmt.Sprintf("第 %d 页 共 {nb} 页", pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	return pdf
}

// lineHeight is the height of one line of body text in mm.
const lineHeight = 6

// row draws cells side by side, wrapping text, all as tall as the tallest.
func row(pdf *fpdf.Fpdf, widths []float64, values []string, aligns []string, fill bool) {
	lines := 1
	split := make([][]string, len(values))
	for i, v := range values {
		split[i] = wrap(v, widths[i]-2, pdf.GetStringWidth)
		if len(split[i]) == 0 {
			split[i] = []string{""}
		}
		lines = max(lines, len(split[i]))
	}
	h := float64(lines) * lineHeight
	_, pageH := pdf.GetPageSize()
	_, _, _, bottom := pdf.GetMargins()
	if pdf.GetY()+h > pageH-bottom {
		pdf.AddPage()
	}
	x, y := pdf.GetXY()
	startX := x
	for i := range values {
		pdf.Rect(x, y, widths[i], h, map[bool]string{true: "FD", false: "D"}[fill])
		for j, line := range split[i] {
			pdf.SetXY(x+1, y+float64(j)*lineHeight)
			pdf.CellFormat(widths[i]-2, lineHeight, line, "", 0, aligns[i], false, 0, "")
		}
		x += widths[i]
	}
	pdf.SetXY(startX, y+h)
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

// WriteSheetPDF writes the summary sheet on A4 landscape pages, the column
// headers repeated at the top of each page, then the signature block.
func WriteSheetPDF(w io.Writer, s Sheet, created time.Time) error {
	pdf := newPDF("L", created)
	pageW, _ := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	widths := scaleWidths(s.Columns, pageW-left-right)
	headers, aligns, centered := make([]string, len(s.Columns)), make([]string, len(s.Columns)), make([]string, len(s.Columns))
	for i, c := range s.Columns {
		headers[i], aligns[i], centered[i] = c.Header, "L", "C"
	}
	pdf.SetHeaderFunc(func() {
		if pdf.PageNo() == 1 {
			pdf.SetFont(family, "", 18)
			pdf.CellFormat(0, 12, s.Title, "", 1, "C", false, 0, "")
			pdf.SetFont(family, "", 10)
			pdf.MultiCell(0, 6, s.infoLine(), "", "L", false)
			pdf.Ln(2)
		}
		pdf.SetFont(family, "", 10)
		pdf.SetFillColor(217, 225, 242)
		row(pdf, widths, headers, centered, true)
	})
	pdf.AddPage()
	pdf.SetFont(family, "", 10)
	for _, r := range s.Rows {
		row(pdf, widths, r, aligns, false)
	}
	signatureBlock(pdf)
	return output(pdf, w)
}

func signatureBlock(pdf *fpdf.Fpdf) {
	_, pageH := pdf.GetPageSize()
	if pdf.GetY()+40 > pageH-18 {
		pdf.SetHeaderFunc(nil)
		pdf.AddPage()
	}
	pdf.Ln(10)
	pdf.SetFont(family, "", 12)
	for _, line := range signatureLines {
		pdf.SetX(pdf.GetX() + 150)
		pdf.CellFormat(0, 10, line, "", 1, "L", false, 0, "")
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

func output(pdf *fpdf.Fpdf, w io.Writer) error {
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("export: pdf: %w", err)
	}
	return nil
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
// labels and values, long values wrapped.
func WriteFormPDF(w io.Writer, f Form, created time.Time) error {
	pdf := newPDF("P", created)
	pdf.AddPage()
	pdf.SetFont(family, "", 18)
	pdf.CellFormat(0, 12, f.Title, "", 1, "C", false, 0, "")
	pdf.SetFont(family, "", 10)
	pdf.CellFormat(0, 6, f.Subtitle, "", 1, "C", false, 0, "")
	pdf.Ln(3)
	pageW, _ := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	widths := []float64{45, pageW - left - right - 45}
	for _, s := range f.Sections {
		pdf.SetFont(family, "", 12)
		pdf.SetFillColor(217, 225, 242)
		row(pdf, []float64{sum(widths)}, []string{s.Title}, []string{"L"}, true)
		pdf.SetFont(family, "", 10)
		for _, fl := range s.Fields {
			row(pdf, widths, []string{fl.Label, fl.Value}, []string{"L", "L"}, false)
		}
		pdf.Ln(3)
	}
	return output(pdf, w)
}
