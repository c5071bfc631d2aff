package export

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/xuri/excelize/v2"
)

// extensionNames carry a character of each CJK extension that the main font
// lacks, A to H, and two that no embedded font has: U+2EBF0 (Extension I)
// and U+31353 (Extension H).
var extensionNames = []struct {
	name string
	char rune
}{
	{"张㐀", 0x3400}, {"𠮷田", 0x20BB7}, {"王𪜀", 0x2A700}, {"李𫝀", 0x2B740}, {"刘𫠠", 0x2B820},
	{"陈𬺰", 0x2CEB0}, {"杨𰀀", 0x30000}, {"赵𱍐", 0x31350}, {"孙𮯰明", 0x2EBF0}, {"周𱍓", 0x31353},
}

var uncovered = Undrawn{0x2EBF0, 0x31353}

var created = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

func TestExtensionCharactersHaveTheirFonts(t *testing.T) {
	for _, n := range extensionNames {
		want := blockRun
		if slices.Contains(uncovered, n.char) {
			want = missingRun
		}
		if kind, _ := classify(n.char, 4); !strings.ContainsRune(n.name, n.char) || kind != want {
			t.Errorf("U+%04X is drawn as kind %d, want %d", n.char, kind, want)
		}
	}
	if placeholder() != "〓" {
		t.Errorf("placeholder %q, want 〓 (the batch log names it)", placeholder())
	}
}

// TestSheetPDFDrawsNameOutsideBMP reproduces issue 10: a name with U+20BB7
// made fpdf panic (index out of range [65536]) and took the server down.
func TestSheetPDFDrawsNameOutsideBMP(t *testing.T) {
	s := sampleSheet(1)
	s.Rows[0][1] = "𠮷田"
	var buf bytes.Buffer
	undrawn, err := WriteSheetPDF(&buf, s, created)
	if err != nil || len(undrawn) != 0 {
		t.Fatalf("WriteSheetPDF: %v, undrawn %v", err, undrawn)
	}
	if text := pdfText(t, buf.Bytes()); !strings.Contains(text, "𠮷田") {
		t.Errorf("PDF text lacks 𠮷田:\n%s", text)
	}
}

func TestEveryPaperCarriesEveryExtension(t *testing.T) {
	s := sampleSheet(len(extensionNames))
	form := Form{Title: "惠才卡申领表", Subtitle: "山东大学", Sections: []Section{{Title: "个人基本信息"}}}
	var names []string
	for i, n := range extensionNames {
		s.Rows[i][1] = n.name
		form.Sections[0].Fields = append(form.Sections[0].Fields, Field{"姓名", n.name})
		names = append(names, n.name)
	}
	form.Sections[0].Fields = append(form.Sections[0].Fields, Field{"主要业绩", strings.Repeat(strings.Join(names, "、"), 6)})
	var sheetPDF, formPDF, xlsx bytes.Buffer
	sheetUndrawn, err := WriteSheetPDF(&sheetPDF, s, created)
	if err != nil {
		t.Fatal(err)
	}
	formUndrawn, err := WriteFormPDF(&formPDF, form, created)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteXLSX(&xlsx, s); err != nil {
		t.Fatal(err)
	}
	for paper, undrawn := range map[string]Undrawn{"sheet": sheetUndrawn, "form": formUndrawn} {
		if !slices.Equal(undrawn, uncovered) {
			t.Errorf("%s PDF reports %v as undrawn, want %v", paper, undrawn, uncovered)
		}
	}
	sheetText, formText := pdfText(t, sheetPDF.Bytes()), pdfText(t, formPDF.Bytes())
	for _, name := range names {
		if !strings.Contains(sheetText, name) {
			t.Errorf("sheet PDF text lacks %q", name)
		}
		if !strings.Contains(formText, name) {
			t.Errorf("form PDF text lacks %q", name)
		}
	}
	if !strings.Contains(strings.ReplaceAll(formText, "\n", ""), form.Sections[0].Fields[len(extensionNames)].Value) {
		t.Error("form PDF text lacks the wrapped long value")
	}
	f, err := excelize.OpenReader(&xlsx)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range names {
		if v, _ := f.GetCellValue(sheetName, cell(2, headerRow+1+i)); v != name {
			t.Errorf("xlsx name cell %q, want %q", v, name)
		}
	}
}

func TestUndrawnNamesTheCharacters(t *testing.T) {
	u := Undrawn{0x31353}.Merge(Undrawn{0x2EBF0, 0x31353})
	if got := u.String(); got != "𮯰 (U+2EBF0)、𱍓 (U+31353)" {
		t.Errorf("Undrawn.String() = %q", got)
	}
}

// TestPapersLeaveTheSharedFontsAlone: fpdf writes into the font bytes it
// is given, so papers made at once with a rare character (a block font)
// raced on the shared font, and changed it; each now gets its own copy.
func TestPapersLeaveTheSharedFontsAlone(t *testing.T) {
	before := map[rune][]byte{}
	for _, n := range extensionNames {
		if b := blockFor(n.char); b != nil {
			before[n.char] = bytes.Clone(b.ttf)
		}
	}
	main := bytes.Clone(fontTTF)
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			for _, n := range extensionNames {
				form := Form{Title: "惠才卡申领表", Sections: []Section{{Title: "个人基本信息", Fields: []Field{{"姓名", n.name}}}}}
				if _, err := WriteFormPDF(io.Discard, form, created); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for c, b := range before {
		if !bytes.Equal(blockFor(c).ttf, b) {
			t.Errorf("the block font of U+%X changed", c)
		}
	}
	if !bytes.Equal(fontTTF, main) {
		t.Error("the main font changed")
	}
}

// TestPlainPapersLoadNoBlockFont checks that a paper the main font draws
// alone neither loads nor embeds a fallback font.
func TestPlainPapersLoadNoBlockFont(t *testing.T) {
	blocks.Lock()
	blocks.loaded = nil
	blocks.Unlock()
	var buf bytes.Buffer
	if _, err := WriteSheetPDF(&buf, sampleSheet(3), created); err != nil {
		t.Fatal(err)
	}
	blocks.Lock()
	loaded := len(blocks.loaded)
	blocks.Unlock()
	if loaded != 0 || bytes.Contains(buf.Bytes(), []byte("/BaseFont /utf8ext")) {
		t.Errorf("a plain sheet loaded %d block fonts", loaded)
	}
}

// TestBlockFontsAreFullWidth loads every block font as fpdf does and
// checks what the writer's measure assumes: every glyph is one em wide.
func TestBlockFontsAreFullWidth(t *testing.T) {
	starts := blockStarts(t)
	if len(starts) < 20 {
		t.Fatalf("only %d block fonts embedded", len(starts))
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	for _, start := range starts {
		b := blockFor(start)
		if b == nil {
			t.Fatalf("block font U+%05X does not load", start)
		}
		var codes strings.Builder
		n := 0
		for r := start; r < start+0x1000; r++ {
			if b.has(r) {
				codes.WriteRune(code(r))
				n++
			}
		}
		pdf.AddUTF8FontFromBytes(b.family, "", b.ttf)
		pdf.SetFont(b.family, "", 10)
		em := 10 * 25.4 / 72
		if got := pdf.GetStringWidth(codes.String()); n == 0 || got < float64(n)*em-1e-6 || got > float64(n)*em+1e-6 {
			t.Errorf("block U+%05X: %d glyphs %v mm wide at 10 pt, want %v", start, n, got, float64(n)*em)
		}
	}
	if err := pdf.Error(); err != nil {
		t.Fatal(err)
	}
}

// blockStarts lists the blocks that have a fallback font.
func blockStarts(t *testing.T) []rune {
	entries, err := blockFS.ReadDir("font/ext")
	if err != nil {
		t.Fatal(err)
	}
	var out []rune
	for _, e := range entries {
		n, err := strconv.ParseInt(strings.TrimSuffix(e.Name(), ".ttf.gz"), 16, 32)
		if err != nil {
			t.Fatalf("block font %s is not named by its first code point", e.Name())
		}
		out = append(out, rune(n))
	}
	return out
}
