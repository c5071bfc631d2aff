package export

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// sheetLineHeight is the height in points of one line of 11-point text in a
// wrapped cell, with its padding.
const sheetLineHeight = 15.0

// rowHeight is the height a row of the sheet needs so that every cell's
// wrapped text shows whole when printed: the most lines any cell wraps to
// in its column's width. Spreadsheet programs do not grow rows on opening
// a file, so the sheet says it.
func rowHeight(cols []Column, row []string) float64 {
	lines := 1
	for i, v := range row {
		if i < len(cols) {
			lines = max(lines, wrappedLines(v, cols[i].Width))
		}
	}
	return float64(lines) * sheetLineHeight
}

// wrappedLines is how many lines text takes in a column width characters
// wide: a CJK character takes two of the widths of a digit, and each line
// of the text starts a new one.
func wrappedLines(text string, width float64) int {
	usable := max(width-1, 1) // the cell's padding
	if widthBound(text) <= usable && !strings.Contains(text, "\n") {
		return 1 // most cells need no measuring
	}
	n := 0
	for _, line := range strings.Split(text, "\n") {
		n += max(1, int(math.Ceil(displayWidth(line)/usable)))
	}
	return n
}

// widthBound is at least text's display width, cheaply: no character is
// wider than its UTF-8 bytes, nor than two digits.
func widthBound(text string) float64 {
	return float64(min(len(text), 2*utf8.RuneCountInString(text)))
}

// displayWidth is text's width in digit widths.
func displayWidth(text string) float64 {
	w := 0.0
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf:
			w++
		case unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x30FF) || (r >= 0xFF00 && r <= 0xFFEF):
			w += 2
		default:
			w += 1.5
		}
	}
	return w
}
