package setup_test

import (
	"regexp"
	"strings"
	"testing"

	"huicai/internal/apperr"
	"huicai/internal/setup"
)

func TestNewTokenLooksRandom(t *testing.T) {
	shape := regexp.MustCompile(`^[3-9A-Y]{5}-[3-9A-Y]{5}-[3-9A-Y]{5}$`)
	seen := map[string]bool{}
	for range 100 {
		tok := setup.NewToken()
		if !shape.MatchString(tok) || strings.ContainsAny(tok, "0125OIL8BSZ") {
			t.Fatalf("token %q", tok)
		}
		if seen[tok] {
			t.Fatalf("token %q made twice", tok)
		}
		seen[tok] = true
	}
}

func TestCheckToken(t *testing.T) {
	const want = "AC3DE-FG4HJ-KM6NP"
	cases := []struct {
		name, want, got string
		field           string
	}{
		{"desktop: none asked", "", "", ""},
		{"right", want, want, ""},
		{"typed in lower case with spaces", want, " ac3de fg4hj km6np ", ""},
		{"missing", want, "", "请填写服务器窗口中显示的初始设置口令"},
		{"only dashes", want, "--", "请填写服务器窗口中显示的初始设置口令"},
		{"wrong", want, "AC3DE-FG4HJ-KM6NQ", "初始设置口令不正确"},
		{"a prefix", want, "AC3DE", "初始设置口令不正确"},
		{"longer", want, want + "3", "初始设置口令不正确"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := setup.CheckToken(c.want, c.got)
			if c.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.CodeForbidden || e.Fields["setup_token"] != c.field {
				t.Fatalf("got %v, want forbidden: %s", err, c.field)
			}
		})
	}
}
