package export

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
)

// writer is the only way text reaches a PDF. It wraps text with wrap and
// draws each character with a font that has it: the main font; else the
// block font of the character's block, drawn at private-use codes (fpdf
// fonts reach only the Basic Multilingual Plane) with the real characters
// given to text extraction as /ActualText; else a placeholder (〓) carrying
// the real character the same way, and the character is kept in Undrawn.
type writer struct {
	pdf     *fpdf.Fpdf
	added   map[*blockFont]bool // block fonts added to the document
	undrawn map[rune]bool
	top     float64 // where the body starts on a fresh page
	font    *bmpSet // the characters the document's main font has
	missed  bool    // a main-font character the document's font lacks was measured or drawn
}

func newWriter(pdf *fpdf.Fpdf, font *bmpSet) *writer {
	return &writer{pdf: pdf, added: map[*blockFont]bool{}, undrawn: map[rune]bool{}, font: font}
}

// size selects the main font at pt points.
func (t *writer) size(pt float64) { t.pdf.SetFont(family, "", pt) }

// em is the font size in mm.
func (t *writer) em() float64 {
	_, mm := t.pdf.GetFontSize()
	return mm
}

// lines wraps s to width w (mm) at the current size: wrap measured with
// the fonts that will draw it.
func (t *writer) lines(s string, w float64) []string { return wrap(s, w, t.width) }

// text draws s wrapped to the column from x, w wide, from the current y,
// each line lh tall and aligned by align (L, C or R), and moves below it.
func (t *writer) text(x, w, lh float64, s, align string) {
	y := t.pdf.GetY()
	for _, line := range t.lines(s, w) {
		t.draw(x, y, w, lh, line, align)
		y += lh
	}
	t.pdf.SetY(y)
}

// width measures what draw draws of s.
func (t *writer) width(s string) float64 {
	total := 0.0
	for _, r := range runs(s) {
		total += t.runWidth(r)
	}
	return total
}

func (t *writer) runWidth(r run) float64 {
	switch r.kind {
	case blockRun: // every block-font glyph is one em wide (TestBlockFontsAreFullWidth)
		return t.em() * float64(utf8.RuneCountInString(r.text))
	case missingRun:
		return t.pdf.GetStringWidth(t.inFont(placeholders(r.text)))
	}
	return t.pdf.GetStringWidth(t.inFont(r.text))
}

// draw draws one line from lines in the box at (x, y), w by h, without the
// spaces and newline it ends with.
func (t *writer) draw(x, y, w, h float64, line, align string) {
	line = strings.TrimRight(line, " \n")
	switch align {
	case "C":
		x += (w - t.width(line)) / 2
	case "R":
		x += w - t.width(line)
	}
	base := y + h/2 + 0.3*t.em()
	for _, r := range runs(line) {
		t.drawRun(x, base, r)
		x += t.runWidth(r)
	}
}

func (t *writer) drawRun(x, base float64, r run) {
	switch r.kind {
	case mainRun:
		t.pdf.Text(x, base, t.inFont(r.text))
	case blockRun:
		pt, _ := t.pdf.GetFontSize()
		if !t.added[r.font] {
			t.pdf.AddUTF8FontFromBytes(r.font.family, "", bytes.Clone(r.font.ttf)) // fpdf writes into it (see newPDF)
			t.added[r.font] = true
		}
		t.pdf.SetFont(r.font.family, "", pt)
		t.actual(r.text, func() { t.pdf.Text(x, base, privateCodes(r.text)) })
		t.pdf.SetFont(family, "", pt)
	case missingRun:
		for _, c := range r.text {
			t.undrawn[c] = true
		}
		t.actual(r.text, func() { t.pdf.Text(x, base, t.inFont(placeholders(r.text))) })
	}
}

// actual wraps what draw puts on the page in a marked-content span whose
// /ActualText is s, so that copying or extracting the text gives s.
func (t *writer) actual(s string, draw func()) {
	var hex strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&hex, "%04X", u)
	}
	t.pdf.RawWriteStr("/Span <</ActualText <FEFF" + hex.String() + ">>> BDC")
	draw()
	t.pdf.RawWriteStr("EMC")
}

// inFont returns s, main-font text, noting whether the document's font
// lacks any of it (see render).
func (t *writer) inFont(s string) string {
	for _, r := range s {
		t.missed = t.missed || !t.font.has(r)
	}
	return s
}

// report returns the characters no font could draw, in order.
func (t *writer) report() Undrawn { return slices.Sorted(maps.Keys(t.undrawn)) }
