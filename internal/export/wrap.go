package export

import (
	"strings"
	"unicode"
)

// wrap breaks text into lines no wider than w, measured by width. Chinese
// text may break between any two characters; a run of letters and digits
// (an ID number, a credit code, an English word) is kept whole when it fits
// on a line of its own. Explicit newlines are kept; no character is lost.
// (fpdf's SplitText drops the character at each break in Chinese text.)
func wrap(text string, w float64, width func(string) float64) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		lines = append(lines, wrapParagraph(para, w, width)...)
	}
	return lines
}

func wrapParagraph(para string, w float64, width func(string) float64) []string {
	var lines []string
	line := ""
	for _, tok := range tokens(para) {
		switch {
		case width(line+tok) <= w:
			line += tok
		case width(tok) <= w:
			if line != "" {
				lines = append(lines, strings.TrimRight(line, " "))
			}
			line = strings.TrimLeft(tok, " ")
		default: // longer than a line: break it by character
			for _, r := range tok {
				if width(line+string(r)) > w && line != "" {
					lines = append(lines, line)
					line = ""
				}
				line += string(r)
			}
		}
	}
	return append(lines, line)
}

// tokens splits text into runs of ASCII letters and digits (with a leading
// space, if any) and single other characters.
func tokens(s string) []string {
	var out []string
	var run strings.Builder
	flush := func() {
		if run.Len() > 0 {
			out = append(out, run.String())
			run.Reset()
		}
	}
	for _, r := range s {
		word := r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.@/", r))
		switch {
		case word:
			run.WriteRune(r)
		case r == ' ':
			flush()
			run.WriteRune(r)
		default:
			flush()
			out = append(out, string(r))
		}
	}
	flush()
	return out
}
