package testkit

import (
	"slices"
	"strings"
	"testing"
)

// CheckSearch checks a name search against the whole list it narrows:
// list(part) reads a list through all its pages, searched for part (the
// whole list for ""), as each row's id and name. The search must list,
// in the whole list's order and each once, exactly its rows whose names
// contain part.
func CheckSearch(t testing.TB, what, part string, list func(part string) (ids []int64, names []string)) {
	t.Helper()
	all, names := list("")
	var want []int64
	for i, id := range all {
		if strings.Contains(names[i], part) {
			want = append(want, id)
		}
	}
	if got, _ := list(part); !slices.Equal(got, want) {
		t.Errorf("%s: %v, want %v", what, got, want)
	}
}
