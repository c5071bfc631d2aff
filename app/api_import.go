package app

import (
	"bytes"
	"context"
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

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/card"
	"huicai/internal/clock"
	"huicai/internal/export"
	"huicai/internal/files"
	"huicai/internal/sheetin"
	"huicai/internal/talent"
)

// 批量导入 of talents (高层次人才) and of existing cards (持卡人才): the
// template, a preview of an uploaded sheet, the import itself and the error
// report. The sheet is uploaded (or picked in the desktop's dialog) once
// and kept in memory, never on disk, for its user until the next upload of
// its kind or for an hour. One import runs at a time.

// maxImportSheet bounds an uploaded roster sheet.
const maxImportSheet = files.MaxSize

// importKeep is how long an uploaded sheet waits for its import.
const importKeep = time.Hour

// importer is one kind of 批量导入.
type importer struct {
	kind         string // names the kept upload: talents, cards
	templateName string
	template     func(ctx context.Context) (export.Template, error)
	check        func(ctx context.Context, f *sheetin.File) (checked, error)
}

// checked is an uploaded sheet, checked: its tally and how to import it.
type checked struct {
	tally *sheetin.Tally
	run   func(ctx context.Context, by account.User, mode sheetin.Mode, fileName, client string) (sheetin.Result, error)
}

func (a *App) talentImporter() importer {
	return importer{kind: "talents", templateName: talent.ImportTemplateName,
		template: func(ctx context.Context) (export.Template, error) { return talent.ImportTemplate(ctx, a.db) },
		check: func(ctx context.Context, f *sheetin.File) (checked, error) {
			c, err := talent.CheckImport(ctx, a.db, f, clock.Now())
			if err != nil {
				return checked{}, err
			}
			return checked{tally: &c.Tally, run: func(ctx context.Context, by account.User, mode sheetin.Mode, name, client string) (sheetin.Result, error) {
				return talent.Import(ctx, a.db, by, c, mode, name, client, card.Open)
			}}, nil
		}}
}

func (a *App) cardImporter() importer {
	return importer{kind: "cards", templateName: card.ImportTemplateName,
		template: func(context.Context) (export.Template, error) { return card.ImportTemplate(), nil },
		check: func(ctx context.Context, f *sheetin.File) (checked, error) {
			c, err := card.CheckCardImport(ctx, a.db, f, clock.Now())
			if err != nil {
				return checked{}, err
			}
			return checked{tally: &c.Tally, run: func(ctx context.Context, by account.User, mode sheetin.Mode, name, client string) (sheetin.Result, error) {
				return card.ImportCards(ctx, a.db, by, c, mode, name, client)
			}}, nil
		}}
}

// importRoutes are the routes of both imports, beside their lists.
func (a *App) importRoutes() []route {
	var out []route
	for _, kind := range []struct {
		base string
		im   importer
	}{{"/api/talents/import", a.talentImporter()}, {"/api/card-holders/import", a.cardImporter()}} {
		base, im := kind.base, kind.im
		out = append(out,
			route{"GET " + base + "/template/download", leader, im.downloadTemplate},
			route{"POST " + base + "/template/save", leader, im.saveTemplate},
			route{"POST " + base, leader, func(r *request) (any, error) { return a.uploadImport(r, im) }},
			route{"POST " + base + "/choose", leader, func(r *request) (any, error) { return a.chooseImport(r, im) }},
			route{"POST " + base + "/{id}/commit", leader, func(r *request) (any, error) { return a.commitImport(r, im) }},
			route{"GET " + base + "/{id}/report/download", leader, func(r *request) (any, error) { return a.downloadImportReport(r, im) }},
			route{"POST " + base + "/{id}/report/save", leader, func(r *request) (any, error) { return a.saveImportReport(r, im) }})
	}
	return out
}

// importSheets are the uploaded sheets awaiting their import, one per user
// and kind, and the lock that lets one import run at a time.
type importSheets struct {
	mu      sync.Mutex
	byUser  map[importKey]importSheet
	running sync.Mutex
}

type importKey struct {
	user int64
	kind string
}

type importSheet struct {
	id   string
	name string
	data []byte
	at   time.Time
}

var errImportGone = apperr.NotFound("上传的表格已过期或已被新的上传替换，请重新上传")

func (s *importSheets) put(k importKey, name string, data []byte) string {
	b := make([]byte, 12)
	rand.Read(b)
	id := hex.EncodeToString(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byUser == nil {
		s.byUser = map[importKey]importSheet{}
	}
	s.byUser[k] = importSheet{id: id, name: name, data: data, at: clock.Now()}
	return id
}

func (s *importSheets) get(k importKey, id string) (importSheet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh, ok := s.byUser[k]
	if !ok || sh.id != id || clock.Now().Sub(sh.at) > importKeep {
		return importSheet{}, errImportGone
	}
	return sh, nil
}

func (s *importSheets) drop(k importKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byUser, k)
}

// importPreview is what the preview shows: the sheet's id for the import
// and report, its name, and what checking it found.
type importPreview struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	*sheetin.Tally
}

func (im importer) writeTemplate(r *request) (func(w io.Writer) error, error) {
	t, err := im.template(r.Context())
	if err != nil {
		return nil, err
	}
	return func(w io.Writer) error { return export.WriteTemplate(w, t) }, nil
}

func (im importer) downloadTemplate(r *request) (any, error) {
	write, err := im.writeTemplate(r)
	if err != nil {
		return nil, err
	}
	return download{name: im.templateName, typ: files.TypeXLSX, write: write}, nil
}

func (im importer) saveTemplate(r *request) (any, error) {
	write, err := im.writeTemplate(r)
	if err != nil {
		return nil, err
	}
	return saveAs(r, "保存导入模板", im.templateName, xlsxFilter, write)
}

// uploadImport takes the sheet in the body (browser) and previews it.
func (a *App) uploadImport(r *request, im importer) (any, error) {
	name, _ := url.QueryUnescape(r.Header.Get("X-File-Name"))
	data, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxImportSheet+1))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, apperr.New(apperr.CodeTooLarge, "表格文件超过20MB，请分成几个文件导入")
	}
	if err != nil {
		return nil, err
	}
	return a.previewImport(r, im, name, data)
}

// chooseImport takes the sheet picked in the native dialog (desktop).
func (a *App) chooseImport(r *request, im importer) (any, error) {
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
	return a.previewImport(r, im, filepath.Base(path), data)
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

func (a *App) previewImport(r *request, im importer, name string, data []byte) (any, error) {
	c, f, err := checkSheet(r, im, name, data)
	if err != nil {
		return nil, err
	}
	f.Close()
	return importPreview{ID: a.imports.put(importKey{r.user.ID, im.kind}, name, data), Name: name, Tally: c.tally}, nil
}

// checkSheet opens and checks a sheet; the caller closes the file.
func checkSheet(r *request, im importer, name string, data []byte) (checked, *sheetin.File, error) {
	f, err := sheetin.Open(bytes.NewReader(data), int64(len(data)), name)
	if err != nil {
		return checked{}, nil, err
	}
	c, err := im.check(r.Context(), f)
	if err != nil {
		f.Close()
		return checked{}, nil, err
	}
	return c, f, nil
}

type importRequest struct {
	Mode sheetin.Mode `json:"mode"`
}

// commitImport checks the kept sheet again (the database may have changed
// since the preview) and imports it; one import runs at a time.
func (a *App) commitImport(r *request, im importer) (any, error) {
	var in importRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	key := importKey{r.user.ID, im.kind}
	sh, err := a.imports.get(key, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !a.imports.running.TryLock() {
		return nil, apperr.Conflict("另一项批量导入正在进行，请等它完成后再试")
	}
	defer a.imports.running.Unlock()
	c, f, err := checkSheet(r, im, sh.name, sh.data)
	if err != nil {
		return nil, err
	}
	f.Close()
	res, err := c.run(r.Context(), r.user, in.Mode, sh.name, r.client)
	if err == nil && res.Imported > 0 {
		a.imports.drop(key)
	}
	return res, err
}

func (a *App) importReport(r *request, im importer) (string, func(w io.Writer) error, error) {
	sh, err := a.imports.get(importKey{r.user.ID, im.kind}, r.PathValue("id"))
	if err != nil {
		return "", nil, err
	}
	c, f, err := checkSheet(r, im, sh.name, sh.data)
	if err != nil {
		return "", nil, err
	}
	name := "错误报告-" + sh.name
	if filepath.Ext(name) != ".xlsx" {
		name += ".xlsx"
	}
	return name, func(w io.Writer) error {
		defer f.Close()
		return c.tally.Report(w, f)
	}, nil
}

func (a *App) downloadImportReport(r *request, im importer) (any, error) {
	name, write, err := a.importReport(r, im)
	if err != nil {
		return nil, err
	}
	return download{name: name, typ: files.TypeXLSX, write: write}, nil
}

func (a *App) saveImportReport(r *request, im importer) (any, error) {
	name, write, err := a.importReport(r, im)
	if err != nil {
		return nil, err
	}
	return saveAs(r, "保存错误报告", name, xlsxFilter, write)
}

// xlsxFilter is the file dialogs' filter for workbooks.
var xlsxFilter = fileFilter{"Excel 工作簿", "*.xlsx"}
