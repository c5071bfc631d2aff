package export

import (
	"fmt"
	"slices"
	"strings"
)

// Undrawn lists, in code point order, the characters of a document that no
// embedded font has. Each was drawn as 〓 and still comes back when the
// PDF's text is copied or extracted; the people who print it should know.
type Undrawn []rune

// String names the characters for a log line: 𮯰 (U+2EBF0)、….
func (u Undrawn) String() string {
	parts := make([]string, len(u))
	for i, r := range u {
		parts[i] = fmt.Sprintf("%c (U+%04X)", r, r)
	}
	return strings.Join(parts, "、")
}

// Merge returns the characters in u or v, in order.
func (u Undrawn) Merge(v Undrawn) Undrawn {
	out := append(append(Undrawn{}, u...), v...)
	slices.Sort(out)
	return slices.Compact(out)
}
