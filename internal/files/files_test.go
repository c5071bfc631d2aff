package files_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huicai/internal/apperr"
	"huicai/internal/files"
)

var (
	pdf = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n")
	png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpg = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	exe = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")
)

func TestContentDecidesTheType(t *testing.T) {
	s := files.NewStore(t.TempDir())
	for name, c := range map[string]struct {
		data []byte
		typ  string
		ext  string
	}{
		"scan.pdf": {pdf, files.TypePDF, ".pdf"}, "photo.PNG": {png, files.TypePNG, ".png"},
		"证件.jpeg": {jpg, files.TypeJPEG, ".jpg"}, "misnamed.png": {pdf, files.TypePDF, ".pdf"},
	} {
		f, err := s.Put(bytes.NewReader(c.data), name)
		if err != nil || f.Type != c.typ || !strings.HasSuffix(f.Name, c.ext) {
			t.Errorf("%s: %+v %v", name, f, err)
		}
	}
}

func TestBadFilesAreRefusedAndLeaveNothing(t *testing.T) {
	dir := t.TempDir()
	s := files.NewStore(dir)
	cases := map[string]struct {
		data []byte
		code apperr.Code
	}{
		"setup.exe renamed.pdf": {exe, apperr.CodeValidation},
		"empty.pdf":             {nil, apperr.CodeValidation},
		"huge.pdf":              {append(append([]byte{}, pdf...), make([]byte, files.MaxSize)...), apperr.CodeTooLarge},
	}
	for name, c := range cases {
		_, err := s.Put(bytes.NewReader(c.data), name)
		e, ok := apperr.As(err)
		if !ok || e.Code != c.code {
			t.Errorf("%s: %v, want %s", name, err, c.code)
		}
	}
	var stored []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			stored = append(stored, p)
		}
		return nil
	})
	if len(stored) != 0 {
		t.Errorf("refused files left bytes behind: %v", stored)
	}
}

func TestDamagedFileIsReportedNotServed(t *testing.T) {
	s := files.NewStore(t.TempDir())
	f, err := s.Put(bytes.NewReader(pdf), "a.pdf")
	if err != nil {
		t.Fatal(err)
	}
	in, err := s.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	in.Close()
	os.WriteFile(s.Path(f), append([]byte("X"), pdf[1:]...), 0o600)
	if _, err := s.Open(f); !errors.Is(err, files.ErrDamaged) {
		t.Errorf("damaged file: %v", err)
	}
}

func TestNamesAreCleaned(t *testing.T) {
	s := files.NewStore(t.TempDir())
	f, _ := s.Put(bytes.NewReader(pdf), `..\..\C:\evil<dir>/身份证 正面.PDF`)
	if f.Name != "身份证 正面.pdf" {
		t.Errorf("name %q", f.Name)
	}
}
