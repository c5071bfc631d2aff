package files_test

import (
	"bytes"
	"os"
	"testing"

	"huicai/internal/files"
)

// TestAGroupIsInPlaceAfterItsSync: documents kept in a group are in place and
// read back after its sync, and leave nothing in the temporary folder.
func TestAGroupIsInPlaceAfterItsSync(t *testing.T) {
	dir := t.TempDir()
	s := files.NewStore(dir)
	g := s.NewGroup()
	var kept []files.File
	var data [][]byte
	for i := range 5 {
		p, err := s.Create()
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, randomPDF(1000*(i+1)))
		p.Write(data[i])
		f, err := p.KeepIn(g, "表.pdf", files.TypePDF)
		p.Discard()
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, f)
	}
	if err := g.Sync(); err != nil {
		t.Fatal(err)
	}
	for i, f := range kept {
		if got := readBack(t, s, f); !bytes.Equal(got, data[i]) {
			t.Errorf("document %d read back wrong", i)
		}
	}
	if left, _ := os.ReadDir(s.TempDir()); len(left) != 0 {
		t.Errorf("left in the temporary folder: %v", left)
	}
	if err := s.NewGroup().Sync(); err != nil {
		t.Errorf("an empty group: %v", err)
	}
}
