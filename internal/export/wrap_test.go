package export

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// charWidth measures every character as one unit.
func charWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) }

func TestWrapKeepsEveryCharacter(t *testing.T) {
	cases := []struct {
		in   string
		w    float64
		want []string
	}{
		{"单位内部调动", 5, []string{"单位内部调", "动"}},
		{"变动发生日期", 4, []string{"变动发生", "日期"}},
		{"经批准调往青岛大学任教", 4, []string{"经批准调", "往青岛大", "学任教"}},
		{"身份证 37010219800101123X 已核", 19, []string{"身份证", "37010219800101123X", "已核"}},
		{"37010219800101123X", 10, []string{"3701021980", "0101123X"}},
		{"第一行\n第二行", 10, []string{"第一行", "第二行"}},
		{"", 5, []string{""}},
	}
	for _, c := range cases {
		got := wrap(c.in, c.w, charWidth)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrap(%q, %v) = %q, want %q", c.in, c.w, got, c.want)
		}
		if strings.ReplaceAll(strings.Join(got, ""), " ", "") != strings.ReplaceAll(strings.ReplaceAll(c.in, "\n", ""), " ", "") {
			t.Errorf("wrap(%q) lost characters: %q", c.in, got)
		}
	}
}
