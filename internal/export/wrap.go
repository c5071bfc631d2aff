package export

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// wrap breaks text into lines whose visible part — the line without the
// spaces and newline it ends with — is no wider than w, measured by width,
// unless it is a single character wider than w. Chinese text may break
// between any two characters; a run of ASCII letters and digits (an ID
// number, a credit code, an English word) is kept whole when it fits on a
// line of its own. Each line keeps its break characters: a newline ends
// its line, and the spaces at a soft break end the line before it, so no
// line starts with a space it did not start with in text, and
// strings.Join(wrap(text, …), "") == text. (fpdf's SplitText and MultiCell
// drop the character at each break in Chinese text.)
func wrap(text string, w float64, width func(string) float64) []string {
	var lines []string
	for {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			return append(lines, wrapParagraph(text, w, width)...)
		}
		para := wrapParagraph(text[:i], w, width)
		para[len(para)-1] += "\n"
		lines = append(lines, para...)
		text = text[i+1:]
	}
}

// wrapParagraph wraps text without newlines into at least one line.
func wrapParagraph(para string, w float64, width func(string) float64) []string {
	var lines []string
	line := ""
	for _, tok := range tokens(para) {
		switch {
		case tok[0] == ' ' || width(line+tok) <= w: // spaces hang at the end of a line
			line += tok
		case width(tok) <= w:
			if line != "" {
				lines = append(lines, line)
			}
			line = tok
		default: // wider than a line: break it between characters
			for i := 0; i < len(tok); {
				_, n := utf8.DecodeRuneInString(tok[i:])
				if c := tok[i : i+n]; line != "" && width(line+c) > w {
					lines = append(lines, line)
					line = c
				} else {
					line += c
				}
				i += n
			}
		}
	}
	return append(lines, line)
}

// tokens splits s into runs of ASCII letters and digits, runs of spaces,
// and single other characters (an invalid byte is one character).
func tokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		n := tokenLen(s[i:])
		out = append(out, s[i:i+n])
		i += n
	}
	return out
}

// tokenLen is the length in bytes of the token s starts with.
func tokenLen(s string) int {
	class := func(b byte) int {
		switch {
		case b == ' ':
			return 1
		case b < utf8.RuneSelf && (unicode.IsLetter(rune(b)) || unicode.IsDigit(rune(b)) || strings.IndexByte("-_.@/", b) >= 0):
			return 2
		}
		return 0
	}
	first := class(s[0])
	if first == 0 {
		_, size := utf8.DecodeRuneInString(s)
		return size
	}
	n := 1
	for n < len(s) && class(s[n]) == first {
		n++
	}
	return n
}
