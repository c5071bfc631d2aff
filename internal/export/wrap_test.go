package export

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
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
		{"身份证 37010219800101123X 已核", 19, []string{"身份证 ", "37010219800101123X ", "已核"}},
		{"37010219800101123X", 10, []string{"3701021980", "0101123X"}},
		{"第一行\n第二行", 10, []string{"第一行\n", "第二行"}},
		{"联系人：张三  联系电话：0531", 8, []string{"联系人：张三  ", "联系电话：", "0531"}},
		{"  缩进\n\n", 3, []string{"  缩", "进\n", "\n", ""}},
		{"", 5, []string{""}},
	}
	for _, c := range cases {
		got := wrap(c.in, c.w, charWidth)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrap(%q, %v) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}

// pieces are what the random texts are made of: ASCII words and signs,
// spaces and newlines, Chinese of the BMP, characters of every CJK
// extension (some that no font has), an emoji and an invalid byte.
var pieces = []string{"a", "Zq", "x9", "37010219800101123X", "-", ".", "@", "/", " ", "  ", "\n", "\n\n",
	"张", "联系电话", "：", "，", "（", "〓", "㐀", "𠮷", "𪜀", "𫝀", "𫠠", "𬺰", "𰀀", "𱍐", "𮯰", "𱍓", "😀", "\xff"}

func randomText(rng *rand.Rand) string {
	var b strings.Builder
	for n := rng.IntN(40); n > 0; n-- {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// checkWrap asserts wrap's promises for one text and width.
func checkWrap(t *testing.T, text string, w float64, width func(string) float64) {
	t.Helper()
	lines := wrap(text, w, width)
	if len(lines) == 0 || strings.Join(lines, "") != text {
		t.Fatalf("wrap(%q, %v) = %q: joined, not the text", text, w, lines)
	}
	for i, line := range lines {
		visible := strings.TrimRight(line, " \n")
		if width(visible) > w+1e-9 && utf8.RuneCountInString(visible) != 1 {
			t.Fatalf("wrap(%q, %v): line %q is %v wide", text, w, line, width(visible))
		}
		if n := strings.IndexByte(line, '\n'); n >= 0 && n != len(line)-1 {
			t.Fatalf("wrap(%q, %v): line %q goes on after a newline", text, w, line)
		}
		if i > 0 && line != "" && line[0] == ' ' && !strings.HasSuffix(lines[i-1], "\n") {
			t.Fatalf("wrap(%q, %v): line %q starts with a space after a soft break", text, w, line)
		}
	}
}

func TestWrapGivesBackExactlyTheText(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		checkWrap(t, randomText(rng), 0.2+rng.Float64()*12, charWidth)
	}
}

// TestWrapGivesBackExactlyTheTextAsDrawn checks the same with the widths
// the PDFs are laid out by: each character measured in the font that
// draws it.
func TestWrapGivesBackExactlyTheTextAsDrawn(t *testing.T) {
	pdf := newPDF("P", time.Time{}, nil)
	pdf.size(10)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 2000; i++ {
		checkWrap(t, randomText(rng), 1+rng.Float64()*60, pdf.width)
	}
}
