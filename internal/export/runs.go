package export

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// runKind says which font draws a run of characters.
type runKind int

const (
	mainRun    runKind = iota // the main font has them
	blockRun                  // a block font has them
	missingRun                // no font has them: placeholders
)

// run is a stretch of text drawn the same way.
type run struct {
	kind runKind
	font *blockFont // for blockRun
	text string     // the characters as given
}

// runs splits s into runs by the font that draws each character.
func runs(s string) []run {
	var out []run
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		kind, font := classify(r, size)
		if n := len(out); n > 0 && out[n-1].kind == kind && out[n-1].font == font {
			out[n-1].text = s[i-len(out[n-1].text) : i+size]
		} else {
			out = append(out, run{kind: kind, font: font, text: s[i : i+size]})
		}
		i += size
	}
	return out
}

// classify finds the font for r, which took size bytes (1 for an invalid one).
func classify(r rune, size int) (runKind, *blockFont) {
	if r == utf8.RuneError && size == 1 {
		return missingRun, nil
	}
	if mainCover().has(r) {
		return mainRun, nil
	}
	if b := blockFor(r); b.has(r) {
		return blockRun, b
	}
	return missingRun, nil
}

// placeholder stands for a character no font has: 〓 (geta mark, the
// printers' sign for a missing character), or □ if the main font lacked it.
var placeholder = sync.OnceValue(func() string {
	if mainCover().has('〓') {
		return "〓"
	}
	return "□"
})

// placeholders is one placeholder for each character of s.
func placeholders(s string) string {
	return strings.Repeat(placeholder(), utf8.RuneCountInString(s))
}

// privateCodes is s written in its block font's private-use codes.
func privateCodes(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(code(r))
	}
	return b.String()
}
