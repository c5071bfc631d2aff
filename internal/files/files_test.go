package files_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"huicai/internal/testkit"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"

	"huicai/internal/apperr"
	"huicai/internal/files"
	"huicai/internal/testdb"
	"huicai/internal/vault"
)

var (
	pdf = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n")
	png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpg = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	exe = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")
)

func TestMain(m *testing.M) {
	useNewKey()
	os.Exit(m.Run())
}

// useNewKey makes a fresh random data key the active one.
func useNewKey() {
	key, _ := vault.NewKey()
	v, _ := vault.New(key)
	vault.Use(v)
}

// diskPath is where the store keeps f's bytes.
func diskPath(dir string, f files.File) string {
	return filepath.Join(dir, "files", f.SHA256[:2], f.SHA256)
}

func readBack(t *testing.T, s *files.Store, f files.File) []byte {
	t.Helper()
	in, err := s.Open(f)
	if err != nil {
		t.Fatalf("open %s: %v", f.Name, err)
	}
	defer in.Close()
	data, err := io.ReadAll(in)
	if err != nil {
		t.Fatalf("read %s: %v", f.Name, err)
	}
	return data
}

// readAll reads f from s as a consumer does: what it read, and the error
// of opening or reading.
func readAll(s *files.Store, f files.File) ([]byte, error) {
	in, err := s.Open(f)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	return io.ReadAll(in)
}

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

// TestStoringRecordsBothHashes: a stored file carries the SHA-256 and the
// SM3 of its plain bytes, and its row keeps the SM3 (for sealing packages
// without hashing it again).
func TestStoringRecordsBothHashes(t *testing.T) {
	s := files.NewStore(t.TempDir())
	f, err := s.Put(bytes.NewReader(pdf), "scan.pdf")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pdf)
	want := sm3.Sum(pdf)
	if f.SHA256 != hex.EncodeToString(sum[:]) || f.SM3 != hex.EncodeToString(want[:]) {
		t.Errorf("hashes %s / %s", f.SHA256, f.SM3)
	}
	db := testdb.Open(t)
	var recorded files.File
	err = db.Tx(context.Background(), func(tx *sql.Tx) error { recorded, err = files.Record(context.Background(), tx, f); return err })
	if err != nil {
		t.Fatal(err)
	}
	if again, err := files.ByID(context.Background(), db, recorded.ID); err != nil || again.SM3 != f.SM3 {
		t.Errorf("row: %+v %v", again, err)
	}
}

func storedFiles(dir string) []string {
	var stored []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			stored = append(stored, p)
		}
		return nil
	})
	return stored
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
	if stored := storedFiles(dir); len(stored) != 0 {
		t.Errorf("refused files left bytes behind: %v", stored)
	}
}

func TestDisguisingNamesAreRefused(t *testing.T) {
	dir := t.TempDir()
	s := files.NewStore(dir)
	for name, want := range map[string]string{
		"invoice\u202efdp.pdf":   "不可见或改变显示方向",
		"身份证\u200b正面.pdf":        "不可见或改变显示方向",
		"\ufeffscan.pdf":         "不可见或改变显示方向",
		"a\u2066b\u2069.pdf":     "不可见或改变显示方向",
		"line\u2028break.pdf":    "不可见或改变显示方向",
		"scan\u0085.pdf":         "不可见或改变显示方向",
		"scan\xff\xfe.pdf":       "编码无效",
		"\xe8\xba\xab\xe4.pdf":   "编码无效",
		"ok\xed\xa0\x80name.pdf": "编码无效", // a UTF-16 surrogate
	} {
		_, err := s.Put(bytes.NewReader(pdf), name)
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.CodeValidation || !strings.Contains(e.Fields["file"], want) || !strings.Contains(e.Fields["file"], "请重命名后再上传") {
			t.Errorf("%q: %v", name, err)
		}
	}
	if stored := storedFiles(dir); len(stored) != 0 {
		t.Errorf("refused names left bytes behind: %v", stored)
	}
	// Names real people give their files still pass.
	for _, name := range []string{"𠮷田 身份证（正面）.pdf", "王堃-职称证书 v2.pdf", "scan_2026-11-29.PDF"} {
		if _, err := s.Put(bytes.NewReader(pdf), name); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
}

func TestStoredFilesAreSealed(t *testing.T) {
	dir := t.TempDir()
	s := files.NewStore(dir)
	content := append(append([]byte{}, pdf...), "姓名 欧阳娜娜 公民身份号码 370102197506010011"...)
	f, err := s.Put(bytes.NewReader(content), "身份证.pdf")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(diskPath(dir, f))
	if err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{"%PDF", "欧阳娜娜", "370102197506010011"} {
		if bytes.Contains(raw, []byte(clear)) {
			t.Errorf("the stored file holds %q in the clear", clear)
		}
	}
	if got := readBack(t, s, f); !bytes.Equal(got, content) {
		t.Errorf("read back %q", got)
	}
	testkit.CheckPrivate(t, filepath.Join(dir, "files"))
}

func TestLargeFilesStreamThroughManyChunks(t *testing.T) {
	dir := t.TempDir()
	s := files.NewStore(dir)
	for _, size := range []int{64<<10 - 1, 64 << 10, 64<<10 + 1, 3 << 20, 3<<20 + 12345} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i*7 + i/251)
		}
		copy(data, pdf)
		f, err := s.Put(bytes.NewReader(data), "big.pdf")
		if err != nil {
			t.Fatal(err)
		}
		if got := readBack(t, s, f); !bytes.Equal(got, data) {
			t.Errorf("%d bytes: read back %d bytes, not the same", size, len(got))
		}
	}
}

func TestGeneratedFilesAreKeptOnlyWhenComplete(t *testing.T) {
	dir := t.TempDir()
	s := files.NewStore(dir)
	abandoned, err := s.Create()
	if err != nil {
		t.Fatal(err)
	}
	abandoned.Write([]byte("PK\x03\x04 half a spreadsheet"))
	abandoned.Discard()
	if stored := storedFiles(dir); len(stored) != 0 {
		t.Errorf("a discarded file left %v", stored)
	}
	p, _ := s.Create()
	defer p.Discard()
	sheet := []byte("PK\x03\x04 a whole spreadsheet")
	p.Write(sheet)
	f, err := p.Keep("汇总表.xlsx", files.TypeXLSX)
	if err != nil || f.Name != "汇总表.xlsx" || f.Size != int64(len(sheet)) {
		t.Fatalf("kept %+v %v", f, err)
	}
	if got := readBack(t, s, f); !bytes.Equal(got, sheet) {
		t.Errorf("read back %q", got)
	}
}

func TestDamagedFileIsReportedNotServed(t *testing.T) {
	dir := t.TempDir()
	s := files.NewStore(dir)
	f, err := s.Put(bytes.NewReader(pdf), "a.pdf")
	if err != nil {
		t.Fatal(err)
	}
	readBack(t, s, f)
	raw, _ := os.ReadFile(diskPath(dir, f))
	raw[len(raw)-20] ^= 1
	os.WriteFile(diskPath(dir, f), raw, 0o600)
	if _, err := readAll(s, f); !errors.Is(err, files.ErrDamaged) {
		t.Errorf("damaged file: %v", err)
	}
	// A whole sealed file put under another file's name opens, but is not
	// the file recorded.
	other, _ := s.Put(bytes.NewReader(jpg), "b.jpg")
	moved, _ := os.ReadFile(diskPath(dir, other))
	os.WriteFile(diskPath(dir, f), moved, 0o600)
	if _, err := readAll(s, f); !errors.Is(err, files.ErrDamaged) {
		t.Errorf("another file under this name: %v", err)
	}
}

// TestOpenerOpensTheRecordedFile: an Opener, kept for later as a package
// keeps one for each document, reads the file and checks it as Open does.
func TestOpenerOpensTheRecordedFile(t *testing.T) {
	dir := t.TempDir()
	s := files.NewStore(dir)
	f, err := s.Put(bytes.NewReader(pdf), "a.pdf")
	if err != nil {
		t.Fatal(err)
	}
	open := s.Opener(f)
	read := func() ([]byte, error) {
		in, err := open()
		if err != nil {
			return nil, err
		}
		defer in.Close()
		return io.ReadAll(in)
	}
	if got, err := read(); err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
	other, _ := s.Put(bytes.NewReader(jpg), "b.jpg")
	moved, _ := os.ReadFile(diskPath(dir, other))
	os.WriteFile(diskPath(dir, f), moved, 0o600)
	if _, err := read(); !errors.Is(err, files.ErrDamaged) {
		t.Errorf("another file under its name: %v", err)
	}
}

func TestAnotherKeyCannotOpenFiles(t *testing.T) {
	s := files.NewStore(t.TempDir())
	f, err := s.Put(bytes.NewReader(pdf), "a.pdf")
	if err != nil {
		t.Fatal(err)
	}
	useNewKey()
	defer useNewKey() // files of this test are not read again
	if _, err := readAll(s, f); !errors.Is(err, files.ErrDamaged) {
		t.Errorf("opened with another installation's key: %v", err)
	}
}

func TestNamesAreCleaned(t *testing.T) {
	s := files.NewStore(t.TempDir())
	f, _ := s.Put(bytes.NewReader(pdf), `..\..\C:\evil<dir>/身份证 正面.PDF`)
	if f.Name != "身份证 正面.pdf" {
		t.Errorf("name %q", f.Name)
	}
}

func TestLegacyClearFilesAreSealedInPlace(t *testing.T) {
	dir := t.TempDir()
	s := files.NewStore(dir)
	sealedBefore, _ := s.Put(bytes.NewReader(png), "photo.png") // sealed by this version: left alone
	clear := map[string][]byte{"a": append(append([]byte{}, pdf...), "欧阳娜娜"...), "b": jpg}
	legacy := map[string]files.File{}
	for name, data := range clear {
		f := writeClear(t, dir, data)
		legacy[name] = f
		if got := readBack(t, s, f); !bytes.Equal(got, data) { // still read before sealing
			t.Errorf("legacy %s before sealing: %q", name, got)
		}
	}
	damaged := writeClear(t, dir, []byte("%PDF-1.4 damaged later"))
	os.WriteFile(diskPath(dir, damaged), []byte("%PDF-1.4 changed on disk!"), 0o644)
	leftover := filepath.Join(dir, "files", "tmp", "export-123", "0001")
	os.MkdirAll(filepath.Dir(leftover), 0o755)
	os.WriteFile(leftover, []byte("%PDF-1.4 paper an older version was writing"), 0o644)
	working, _ := s.Create() // work under way (sealed from its first byte) is not touched
	defer working.Discard()
	before, _ := os.ReadFile(diskPath(dir, sealedBefore))

	n, err := s.SealLegacy(context.Background())
	if err != nil || n != 2 {
		t.Fatalf("sealed %d: %v", n, err)
	}
	for name, f := range legacy {
		raw, _ := os.ReadFile(diskPath(dir, f))
		if bytes.Contains(raw, clear[name][:4]) || bytes.Contains(raw, []byte("欧阳娜娜")) {
			t.Errorf("legacy %s is still in the clear", name)
		}
		if got := readBack(t, s, f); !bytes.Equal(got, clear[name]) {
			t.Errorf("legacy %s after sealing: %q", name, got)
		}
	}
	if after, _ := os.ReadFile(diskPath(dir, sealedBefore)); !bytes.Equal(before, after) {
		t.Error("an already sealed file was rewritten")
	}
	if _, err := readAll(s, damaged); !errors.Is(err, files.ErrDamaged) {
		t.Errorf("a damaged clear file: %v", err)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a clear leftover in tmp survived: %v", err)
	}
	if _, err := working.Keep("b.xlsx", files.TypeXLSX); err != nil {
		t.Errorf("work under way was disturbed: %v", err)
	}
	if n, err := s.SealLegacy(context.Background()); err != nil || n != 0 {
		t.Errorf("a second run sealed %d: %v", n, err)
	}
	// Once all is sealed later starts skip the walk; a restored folder
	// (a backup's, without the mark) is walked again.
	late := writeClear(t, dir, []byte("%PDF-1.4 restored from an old backup"))
	if n, err := s.SealLegacy(context.Background()); err != nil || n != 0 {
		t.Errorf("a run after the mark sealed %d: %v", n, err)
	}
	os.Remove(filepath.Join(dir, "files", ".all-sealed"))
	if n, err := s.SealLegacy(context.Background()); err != nil || n != 1 {
		t.Errorf("a run over a restored folder sealed %d: %v", n, err)
	}
	if raw, _ := os.ReadFile(diskPath(dir, late)); bytes.Contains(raw, []byte("%PDF")) {
		t.Error("the restored clear file is still in the clear")
	}
	os.Remove(diskPath(dir, damaged))    // left as it was, for reading to report
	os.RemoveAll(filepath.Dir(leftover)) // an older version's emptied folder may stay
	testkit.CheckPrivate(t, filepath.Join(dir, "files"))
}

// writeClear stores data the way versions before encryption did: in the
// clear, readable by all, and returns its row.
func writeClear(t *testing.T, dir string, data []byte) files.File {
	t.Helper()
	h := sha256.Sum256(data)
	sum := hex.EncodeToString(h[:])
	f := files.File{SHA256: sum, Size: int64(len(data)), Type: files.Sniff(data), Name: "old"}
	os.MkdirAll(filepath.Dir(diskPath(dir, f)), 0o755)
	if err := os.WriteFile(diskPath(dir, f), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}
