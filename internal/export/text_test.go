package export

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

func TestWriterMeasuresEachFont(t *testing.T) {
	w := newWriter(fpdf.New("P", "mm", "A4", ""), mainCover())
	w.pdf.AddUTF8FontFromBytes(family, "", fontTTF)
	w.size(10)
	em := 10 * 25.4 / 72
	for _, s := range []string{"𠮷", "𱍐", "张"} { // full-width in the block font and the main font
		if got := w.width(s); got < em*0.99 || got > em*1.01 {
			t.Errorf("width(%q) = %v, want one em (%v)", s, got, em)
		}
	}
	if got, want := w.width("𠮷田𮯰"), 3*em; got < want*0.99 || got > want*1.01 {
		t.Errorf("width of a block-font, main-font and placeholder character = %v, want %v", got, want)
	}
	if w.width("a") >= em*0.75 {
		t.Errorf("ASCII measured full-width: %v", w.width("a"))
	}
}

// TestOnlyTheWriterDrawsText checks the package's code: fpdf's text
// methods are called in writer.drawRun alone, so all text is wrapped by
// wrap and drawn with a font that has it. (Documents are always named
// pdf: a variable or the writer's field.)
func TestOnlyTheWriterDrawsText(t *testing.T) {
	drawing := map[string]bool{"Text": true, "Cell": true, "Cellf": true, "CellFormat": true, "MultiCell": true,
		"Write": true, "Writef": true, "WriteAligned": true, "WriteLinkID": true, "WriteLinkString": true,
		"SplitText": true, "SplitLines": true}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Name.Name == "drawRun" {
				continue
			}
			ast.Inspect(fn, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && drawing[sel.Sel.Name] && isPDF(sel.X) {
						t.Errorf("%s: %s calls %s; draw text through writer.text or writer.row", fset.Position(sel.Pos()), fn.Name.Name, sel.Sel.Name)
					}
				}
				return true
			})
		}
	}
}

// isPDF reports whether x is pdf or something.pdf.
func isPDF(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.Ident:
		return x.Name == "pdf"
	case *ast.SelectorExpr:
		return x.Sel.Name == "pdf"
	}
	return false
}
