package validate

import (
	"testing"
	"time"
)

func FuzzUSCC(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "12370000495570512F", "1237000049557O512F", "", "９１３５"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code := NormalizeUSCC(s)
		if USCCProblem(code) == "" {
			if len(code) != 18 {
				t.Fatalf("accepted %q of length %d", code, len(code))
			}
			for i := 0; i < 18; i++ {
				if !containsByte(usccAlphabet, code[i]) {
					t.Fatalf("accepted %q with %q", code, code[i])
				}
			}
		}
	})
}

func FuzzResidentID(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "370102198001011237", "110105199902300023", "", "x"} {
		f.Add(s)
	}
	today := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		id := NormalizeID(s)
		got, problem := ParseResidentID(id, today)
		if problem == "" && (len(id) != 18 || got.Birth.After(today) || got.Birth.Year() < 1900) {
			t.Fatalf("accepted %q: %+v", id, got)
		}
		for _, typ := range IDTypes {
			IDProblem(typ, id, today)
		}
		_ = MaskID(id) // must not panic on any input
	})
}

func containsByte(s string, b byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return true
		}
	}
	return false
}
