// Package sheetin reads the spreadsheets users upload for 批量导入: it
// refuses what is not an xlsx (a renamed EXE, a CSV, an old .xls) and what
// would unpack to far more than it weighs, finds the columns by their
// Chinese headers in any order, and streams the rows one at a time with
// their cells as the user sees them, never evaluating a formula.
package sheetin

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"huicai/internal/apperr"
)

// MaxRows is the most data rows one import takes.
const MaxRows = 100000

// maxUnzipped bounds what an upload may unpack to: a sheet of MaxRows rows
// is a few tens of MB; a zip bomb is refused before anything is unpacked.
const maxUnzipped = 300 << 20

// inMemory is where excelize would spill big parts to temporary files: a
// folder that cannot exist, so that it keeps them in memory and no row of
// personal data is ever written to disk in the clear.
var inMemory = filepath.Join(os.DevNull, "none")

var (
	errXLS       = apperr.InvalidField("file", "这是旧版 Excel 文件（.xls），请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再导入")
	errNotXLSX   = apperr.InvalidField("file", "该文件不是 Excel 工作簿（.xlsx），请使用下载的导入模板填写后导入")
	errTooBig    = apperr.InvalidField("file", fmt.Sprintf("该文件解压后超过 %d MB，不是正常的导入表格，请检查文件", maxUnzipped>>20))
	errUnreadble = apperr.InvalidField("file", "无法读取该 Excel 文件，文件可能已损坏；请在 Excel 或 WPS 中打开并重新保存后再导入")
)

// File is an uploaded workbook, checked and opened.
type File struct {
	x *excelize.File
}

// Open checks and opens the workbook in r (size bytes) uploaded as name.
func Open(r io.ReaderAt, size int64, name string) (*File, error) {
	head := make([]byte, 8)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}) || strings.EqualFold(filepath.Ext(name), ".xls"):
		return nil, errXLS
	case !bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return nil, errNotXLSX
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, errNotXLSX
	}
	var unzipped uint64
	workbook := false
	for _, f := range zr.File {
		unzipped += f.UncompressedSize64
		workbook = workbook || strings.EqualFold(f.Name, "xl/workbook.xml")
	}
	if unzipped > maxUnzipped {
		return nil, errTooBig
	}
	if !workbook {
		return nil, errNotXLSX
	}
	x, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped, TmpDir: inMemory})
	if err != nil {
		return nil, errUnreadble
	}
	return &File{x: x}, nil
}

// Close frees the workbook.
func (f *File) Close() error { return f.x.Close() }

// FirstSheet is the name of the first visible worksheet: the one users fill.
func (f *File) FirstSheet() string {
	for _, name := range f.x.GetSheetList() {
		if visible, err := f.x.GetSheetVisible(name); err == nil && visible {
			return name
		}
	}
	return f.x.GetSheetName(0)
}

// Column is one column an import reads: its key, its header, the other
// headers users give it, and whether every sheet must have it.
type Column struct {
	Key      string
	Header   string
	Aliases  []string
	Required bool
}

func (c Column) matches(header string) bool {
	h := Clean(strings.TrimLeft(header, "*＊"))
	if h == c.Header {
		return true
	}
	for _, a := range c.Aliases {
		if h == a {
			return true
		}
	}
	return false
}
