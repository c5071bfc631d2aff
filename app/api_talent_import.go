package app

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"huicai/internal/apperr"
	"huicai/internal/card"
	"huicai/internal/clock"
	"huicai/internal/export"
	"huicai/internal/files"
	"huicai/internal/sheetin"
	"huicai/internal/talent"
)

// 高层次人才 → 批量导入: the template, a preview of an uploaded sheet, the
// import itself and the error report. The sheet is uploaded (or picked in
// the desktop's dialog) once and kept in memory, never on disk, for its
// user until the next upload or for an hour.

// maxImportSheet bounds an uploaded roster sheet.
const maxImportSheet = files.MaxSize

// importKeep is how long an uploaded sheet waits for its import.
const importKeep = time.Hour

// importSheets are the uploaded sheets awaiting their import, one per user,
// and the lock that lets one import run at a time.
type importSheets struct {
	mu      sync.Mutex
	byUser  map[int64]importSheet
	running sync.Mutex
}

type importSheet struct {
	id   string
	name string
	data []byte
	at   time.Time
}

var errImportGone = apperr.NotFound("上传的表格已过期或已被新的上传替换，请重新上传")

func (s *importSheets) put(user int64, name string, data []byte) string {
	b := make([]byte, 12)
	rand.Read(b)
	id := hex.EncodeToString(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byUser == nil {
		s.byUser = map[int64]importSheet{}
	}
	s.byUser[user] = importSheet{id: id, name: name, data: data, at: clock.Now()}
	return id
}

func (s *importSheets) get(user int64, id string) (importSheet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh, ok := s.byUser[user]
	if !ok || sh.id != id || clock.Now().Sub(sh.at) > importKeep {
		return importSheet{}, errImportGone
	}
	return sh, nil
}

func (s *importSheets) drop(user int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byUser, user)
}

// importPreview is what the preview shows: the sheet's id for the import
// and report, its name, and what checking it found.
type importPreview struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	*talent.ImportCheck
}

func (a *App) importTemplate(r *request) (func(w io.Writer) error, error) {
	t, err := talent.ImportTemplate(r.Context(), a.db)
	if err != nil {
		return nil, err
	}
	return func(w io.Writer) error { return export.WriteTemplate(w, t) }, nil
}

func (a *App) downloadImportTemplate(r *request) (any, error) {
	write, err := a.importTemplate(r)
	if err != nil {
		return nil, err
	}
	return download{name: talent.ImportTemplateName, typ: files.TypeXLSX, write: write}, nil
}

func (a *App) saveImportTemplate(r *request) (any, error) {
	write, err := a.importTemplate(r)
	if err != nil {
		return nil, err
	}
	return saveAs(r, "保存导入模板", talent.ImportTemplateName, xlsxFilter, write)
}

// uploadImport takes the sheet in the body (browser) and previews it.
func (a *App) uploadImport(r *request) (any, error) {
	name, _ := url.QueryUnescape(r.Header.Get("X-File-Name"))
	data, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxImportSheet+1))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, apperr.New(apperr.CodeTooLarge, "表格文件超过20MB，请分成几个文件导入")
	}
	if err != nil {
		return nil, err
	}
	return a.previewImport(r, name, data)
}

// chooseImport takes the sheet picked in the native dialog (desktop).
func (a *App) chooseImport(r *request) (any, error) {
	n, err := nativeFilesOf(r)
	if err != nil {
		return nil, err
	}
	path, err := n.ChooseFile("选择要导入的表格", xlsxFilter)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return nil, errCancelled
	}
	data, err := readSmallFile(path, maxImportSheet)
	if err != nil {
		return nil, err
	}
	return a.previewImport(r, filepath.Base(path), data)
}

// readSmallFile reads the file at path, refusing one over limit bytes.
func readSmallFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, apperr.InvalidField("file", "无法读取所选文件："+filepath.Base(path))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(data)) > limit {
		err = apperr.New(apperr.CodeTooLarge, "表格文件超过20MB，请分成几个文件导入")
	}
	return data, err
}

func (a *App) previewImport(r *request, name string, data []byte) (any, error) {
	check, _, err := a.checkImport(r, name, data)
	if err != nil {
		return nil, err
	}
	return importPreview{ID: a.imports.put(r.user.ID, name, data), Name: name, ImportCheck: check}, nil
}

// checkImport opens and checks a sheet; the caller closes the file.
func (a *App) checkImport(r *request, name string, data []byte) (*talent.ImportCheck, *sheetin.File, error) {
	f, err := sheetin.Open(bytes.NewReader(data), int64(len(data)), name)
	if err != nil {
		return nil, nil, err
	}
	check, err := talent.CheckImport(r.Context(), a.db, f, clock.Now())
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return check, f, nil
}

type importRequest struct {
	Mode talent.ImportMode `json:"mode"`
}

// commitImport checks the kept sheet again (the database may have changed
// since the preview) and imports it; one import runs at a time.
func (a *App) commitImport(r *request) (any, error) {
	var in importRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	sh, err := a.imports.get(r.user.ID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !a.imports.running.TryLock() {
		return nil, apperr.Conflict("另一项批量导入正在进行，请等它完成后再试")
	}
	defer a.imports.running.Unlock()
	check, f, err := a.checkImport(r, sh.name, sh.data)
	if err != nil {
		return nil, err
	}
	f.Close()
	res, err := talent.Import(r.Context(), a.db, r.user, check, in.Mode, sh.name, r.client, card.Open)
	if err == nil && res.Imported > 0 {
		a.imports.drop(r.user.ID)
	}
	return res, err
}

func (a *App) importReport(r *request) (string, func(w io.Writer) error, error) {
	sh, err := a.imports.get(r.user.ID, r.PathValue("id"))
	if err != nil {
		return "", nil, err
	}
	check, f, err := a.checkImport(r, sh.name, sh.data)
	if err != nil {
		return "", nil, err
	}
	name := "错误报告-" + sh.name
	if filepath.Ext(name) != ".xlsx" {
		name += ".xlsx"
	}
	return name, func(w io.Writer) error {
		defer f.Close()
		return check.WriteReport(w, f)
	}, nil
}

func (a *App) downloadImportReport(r *request) (any, error) {
	name, write, err := a.importReport(r)
	if err != nil {
		return nil, err
	}
	return download{name: name, typ: files.TypeXLSX, write: write}, nil
}

func (a *App) saveImportReport(r *request) (any, error) {
	name, write, err := a.importReport(r)
	if err != nil {
		return nil, err
	}
	return saveAs(r, "保存错误报告", name, xlsxFilter, write)
}

// xlsxFilter is the file dialogs' filter for workbooks.
var xlsxFilter = fileFilter{"Excel 工作簿", "*.xlsx"}
