package app

import (
	"io"
	"path"
	"strings"

	"huicai/internal/apperr"
	"huicai/internal/batch"
)

// One exported paper at a time: opened in the system's viewer (desktop) or
// a new tab (browser) to read or print, or saved on its own beside the zip.

// exportOf is the exported paper named by {file} (its stored file's id)
// among the exports of the batch in the path.
func (a *App) exportOf(r *request) (batch.Export, error) {
	fileID, err := pathValueID(r.PathValue("file"))
	if err != nil {
		return batch.Export{}, err
	}
	_, exports, err := a.exportedFiles(r)
	if err != nil {
		return batch.Export{}, err
	}
	for _, e := range exports {
		if e.File.ID == fileID {
			return e, nil
		}
	}
	return batch.Export{}, apperr.NotFound("没有找到该导出文件，请刷新后重试")
}

// exportContent sends one paper inline, for a browser tab or preview.
func (a *App) exportContent(r *request) (any, error) {
	e, err := a.exportOf(r)
	if err != nil {
		return nil, err
	}
	e.File.Name = path.Base(e.Name)
	return fileBody{file: e.File, store: a.files}, nil
}

// openExport opens one paper with the system's viewer (desktop), where the
// user reads and prints it.
func (a *App) openExport(r *request) (any, error) {
	e, err := a.exportOf(r)
	if err != nil {
		return nil, err
	}
	e.File.Name = path.Base(e.Name)
	return nil, a.openWithSystem(r, e.File)
}

// downloadExport sends one paper as a download (browser).
func (a *App) downloadExport(r *request) (any, error) {
	e, err := a.exportOf(r)
	if err != nil {
		return nil, err
	}
	return download{name: path.Base(e.Name), typ: e.File.Type, write: func(w io.Writer) error { return a.copyStored(e.File, w) }}, nil
}

// saveExport writes one paper where the user says (desktop).
func (a *App) saveExport(r *request) (any, error) {
	e, err := a.exportOf(r)
	if err != nil {
		return nil, err
	}
	name := path.Base(e.Name)
	return saveAs(r, "保存导出文件", name, paperFilter(name), func(w io.Writer) error { return a.copyStored(e.File, w) })
}

// paperFilter is the save dialog's filter for a paper's kind of file.
func paperFilter(name string) fileFilter {
	if strings.HasSuffix(strings.ToLower(name), ".xlsx") {
		return fileFilter{"Excel 工作簿", "*.xlsx"}
	}
	return fileFilter{"PDF 文件", "*.pdf"}
}
