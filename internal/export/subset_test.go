package export

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestFormsConcurrently exports many forms at once, as a batch export
// does on every core, each with its own rare names, and reads each back.
func TestFormsConcurrently(t *testing.T) {
	const n = 24
	pdfs := make([][]byte, n)
	names := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		names[i] = rareNames[i%len(rareNames)] + "𠮷" + fmt.Sprintf("%03d", i) + strings.Repeat("镕珺", i%3)
		form := benchForm()
		form.Sections[0].Fields[0].Value = names[i]
		wg.Go(func() {
			var buf bytes.Buffer
			if _, err := WriteFormPDF(&buf, form, created); err != nil {
				errs <- err
				return
			}
			pdfs[i] = buf.Bytes()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i, pdf := range pdfs {
		text := pdfText(t, pdf)
		for _, want := range []string{names[i], "惠才卡申领表", "37010219800101123X", "泰山学者特聘专家", "第1页共"} {
			if !strings.Contains(text, want) {
				t.Errorf("form %d: text lacks %q", i, want)
			}
		}
	}
}

// TestSubsetDrawsLikeTheWholeFont draws the same text, ASCII, common and
// rare Han characters (most of them composite glyphs) and punctuation,
// with the document's cut-down font and with the whole main font, and
// checks that the pages look the same to the pixel.
func TestSubsetDrawsLikeTheWholeFont(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) is not installed")
	}
	text := "惠才卡申领表 王堃 李喆 张赟 陈镕 刘珺 Abc 123 ①②③ ＡＢＣ《》“”…—· 主持国家重点研发计划项目。"
	chars := new(bmpSet)
	for _, r := range text + alwaysDrawn {
		chars.add(r)
	}
	page := func(chars *bmpSet) []byte {
		w := newPDF("P", created, chars)
		w.newPage()
		for _, pt := range []float64{9, 12, 18} {
			w.size(pt)
			w.text(w.left(), w.bodyWidth(), 10, text, "L")
		}
		if w.missed {
			t.Fatal("a character of the text is not in the cut-down font")
		}
		var buf bytes.Buffer
		if _, err := w.output(&buf); err != nil {
			t.Fatal(err)
		}
		return raster(t, buf.Bytes())
	}
	if !bytes.Equal(page(chars), page(nil)) {
		t.Error("the page drawn with the cut-down font differs from the one drawn with the whole font")
	}
}

// raster renders the first page of a PDF as an image.
func raster(t *testing.T, pdf []byte) []byte {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "in.pdf"), pdf, 0o600)
	if out, err := exec.Command("pdftoppm", "-r", "72", "-singlefile", "-png", filepath.Join(dir, "in.pdf"),
		filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	png, err := os.ReadFile(filepath.Join(dir, "page.png"))
	if err != nil || len(png) == 0 {
		t.Fatalf("pdftoppm made no image: %v", err)
	}
	return png
}

// TestTextLeftOutOfTheFontIsStillDrawn: a text that render was not told
// about is drawn with the whole font, not as blank glyphs.
func TestTextLeftOutOfTheFontIsStillDrawn(t *testing.T) {
	var buf bytes.Buffer
	_, err := render(&buf, "P", created, []string{"申领表"}, func(w *writer) {
		w.newPage()
		w.size(12)
		w.text(w.left(), w.bodyWidth(), 6, "申领表 张赟", "L")
	})
	if err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, buf.Bytes()); !strings.Contains(text, "申领表张赟") {
		t.Errorf("PDF text lacks 申领表张赟:\n%s", text)
	}
	w := newPDF("P", created, new(bmpSet))
	w.size(12)
	if w.width("张"); !w.missed {
		t.Error("measuring a character the cut-down font lacks was not noticed")
	}
}
