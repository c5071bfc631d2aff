package app

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"huicai/internal/apperr"
	"huicai/internal/batch"
	"huicai/internal/card"
	"huicai/internal/change"
	"huicai/internal/files"
	"huicai/internal/job"
	"huicai/internal/validate"
)

// batchKinds are the kinds of item batches carry, by code.
func (a *App) batchKinds() map[string]batch.Kind {
	return map[string]batch.Kind{card.Kind.Code(): card.Kind, change.Kind.Code(): change.Kind}
}

func (a *App) kind(code string) (batch.Kind, error) {
	k, ok := a.batchKinds()[code]
	if !ok {
		return nil, apperr.InvalidField("kind", "汇总提交类型不正确")
	}
	return k, nil
}

// batchOf loads the batch in the path with its kind.
func (a *App) batchOf(r *request) (batch.Batch, batch.Kind, error) {
	id, err := pathID(r)
	if err != nil {
		return batch.Batch{}, nil, err
	}
	b, err := batch.ByID(r.Context(), a.db, id)
	if err != nil {
		return batch.Batch{}, nil, err
	}
	k, err := a.kind(b.Kind)
	return b, k, err
}

func (a *App) listBatches(r *request) (any, error) {
	if err := refuseSort(r); err != nil {
		return nil, err
	}
	return batch.List(r.Context(), a.db, r.user, r.URL.Query().Get("kind"), queryInt(r, "page"), queryInt(r, "page_size"))
}

type newBatch struct {
	Kind    string  `json:"kind"`
	ItemIDs []int64 `json:"item_ids"`
	batch.Contact
}

func (a *App) createBatch(r *request) (any, error) {
	var in newBatch
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	k, err := a.kind(in.Kind)
	if err != nil {
		return nil, err
	}
	return batch.Create(r.Context(), a.db, k, r.user, in.ItemIDs, in.Contact, r.client)
}

// batchView is a batch with its items as the summary sheet shows them,
// personal numbers masked, and its exports.
type batchView struct {
	Batch   batch.Batch    `json:"batch"`
	Columns []string       `json:"columns"`
	Rows    [][]string     `json:"rows"`
	Exports []batch.Export `json:"exports"`
	// PackagePath is where the sealed package lies on this computer; only
	// the desktop window is told (a browser's user is on another computer).
	PackagePath string `json:"package_path,omitempty"`
}

func (a *App) getBatch(r *request) (any, error) {
	b, k, err := a.batchOf(r)
	if err != nil {
		return nil, err
	}
	rows, err := batch.Rows(r.Context(), a.db, k, b.ItemIDs)
	if err != nil {
		return nil, err
	}
	exports, err := batch.Exports(r.Context(), a.db, b.ID)
	if err != nil {
		return nil, err
	}
	v := batchView{Batch: b.For(r.user), Exports: exports, Rows: rows, Columns: []string{}}
	if _, err := nativeFilesOf(r); err == nil && b.PackageFile != "" {
		v.PackagePath = a.batches.PackagePath(b)
	}
	if v.Rows == nil {
		v.Rows = [][]string{}
	}
	for i, c := range k.Papers().Columns {
		v.Columns = append(v.Columns, c.Header)
		for _, row := range v.Rows {
			switch {
			case strings.Contains(c.Header, "证件号码"):
				row[i] = validate.MaskID(row[i])
			case strings.Contains(c.Header, "手机号码"):
				row[i] = validate.MaskMobile(row[i])
			}
		}
	}
	return v, nil
}

func (a *App) updateBatchContact(r *request) (any, error) {
	b, k, err := a.batchOf(r)
	if err != nil {
		return nil, err
	}
	var c batch.Contact
	if err := decode(r, &c); err != nil {
		return nil, err
	}
	return batch.UpdateContact(r.Context(), a.db, k, r.user, b.ID, c, r.client)
}

func (a *App) cancelBatch(r *request) (any, error) {
	b, k, err := a.batchOf(r)
	if err != nil {
		return nil, err
	}
	return nil, batch.Cancel(r.Context(), a.db, k, r.user, b.ID, r.client)
}

// exportBatch starts the export as a job the UI follows and can cancel.
func (a *App) exportBatch(r *request) (any, error) {
	b, k, err := a.batchOf(r)
	if err != nil {
		return nil, err
	}
	u, client := r.user, r.client
	return a.jobs.StartExclusive(u.ID, batchJobKey(k, b.ID), "该批次正在导出或提交，请等待完成后再试",
		func(ctx context.Context, progress job.Progress) (any, error) {
			return a.batches.Export(ctx, k, u, b.ID, client, batch.Progress(progress))
		})
}

// batchJobKey names the jobs that write a batch: one at a time per batch.
func batchJobKey(k batch.Kind, id int64) string { return fmt.Sprintf("batch %s %d", k.Code(), id) }

type submitRequest struct {
	Password string `json:"password"`
}

// submitBatch checks the password at once, then seals the package as a job.
func (a *App) submitBatch(r *request) (any, error) {
	b, k, err := a.batchOf(r)
	if err != nil {
		return nil, err
	}
	var in submitRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	u, client := r.user, r.client
	return a.jobs.StartExclusive(u.ID, batchJobKey(k, b.ID), "该批次正在导出或提交，请等待完成后再试",
		func(ctx context.Context, progress job.Progress) (any, error) {
			return a.batches.Submit(ctx, k, u, b.ID, in.Password, client, batch.Progress(progress))
		})
}

func (a *App) getJob(r *request) (any, error) {
	return a.jobs.Get(r.user.ID, r.PathValue("id"))
}

func (a *App) cancelJob(r *request) (any, error) {
	return nil, a.jobs.Cancel(r.user.ID, r.PathValue("id"))
}

// writeExports writes a batch's exported files as a zip.
func (a *App) writeExports(exports []batch.Export, w io.Writer) error {
	zw := zip.NewWriter(w)
	for _, e := range exports {
		modified, _ := time.Parse(time.RFC3339, e.File.CreatedAt)
		// A modification time lets unzip tools honour the UTF-8 name flag.
		hdr := &zip.FileHeader{Name: e.Name, Method: zip.Store, Modified: modified}
		hdr.Flags |= 0x800
		out, err := zw.CreateHeader(hdr)
		if err != nil {
			return err
		}
		if err := a.copyStored(e.File, out); err != nil {
			return err
		}
	}
	return zw.Close()
}

func (a *App) copyStored(f files.File, w io.Writer) error {
	in, err := a.files.Open(f)
	if err != nil {
		return err
	}
	defer in.Close()
	_, err = io.Copy(w, in)
	return err
}

func (a *App) exportedFiles(r *request) (batch.Batch, []batch.Export, error) {
	b, _, err := a.batchOf(r)
	if err != nil {
		return b, nil, err
	}
	exports, err := batch.Exports(r.Context(), a.db, b.ID)
	if err == nil && len(exports) == 0 {
		err = apperr.Conflict("该批次尚未导出")
	}
	return b, exports, err
}

// downloadExports sends the exports as one zip (browser).
func (a *App) downloadExports(r *request) (any, error) {
	b, exports, err := a.exportedFiles(r)
	if err != nil {
		return nil, err
	}
	return download{name: b.Number + "-导出材料.zip", typ: "application/zip", write: func(w io.Writer) error { return a.writeExports(exports, w) }}, nil
}

// saveExports writes the exports into a folder picked in the native dialog
// (desktop), as a subfolder named by the batch number.
func (a *App) saveExports(r *request) (any, error) {
	b, exports, err := a.exportedFiles(r)
	if err != nil {
		return nil, err
	}
	n, err := nativeFilesOf(r)
	if err != nil {
		return nil, err
	}
	dir, err := n.ChooseFolder("选择导出位置")
	if err != nil {
		return nil, err
	}
	if dir == "" {
		return nil, errCancelled
	}
	dest := filepath.Join(dir, b.Number+"-导出材料")
	tmp, err := os.MkdirTemp(dir, ".huicai-export-*")
	if err != nil {
		return nil, apperr.InvalidField("path", "无法写入所选文件夹："+dir)
	}
	defer os.RemoveAll(tmp)
	for _, e := range exports {
		target := filepath.Join(tmp, filepath.FromSlash(e.Name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return nil, err
		}
		if err := writeAtomically(target, func(w io.Writer) error { return a.copyStored(e.File, w) }); err != nil {
			return nil, err
		}
	}
	if err := replaceDir(tmp, dest); err != nil {
		return nil, err
	}
	return saved{dest}, nil
}

func (a *App) attachBatchScan(r *request, choose bool) (any, error) {
	b, k, err := a.batchOf(r)
	if err != nil {
		return nil, err
	}
	f, err := a.receiveFile(r, choose, "选择盖章后的扫描件")
	if err != nil {
		return nil, err
	}
	return a.batches.AttachScan(r.Context(), k, r.user, b.ID, f, r.client)
}

func (a *App) uploadBatchScan(r *request) (any, error) { return a.attachBatchScan(r, false) }
func (a *App) chooseBatchScan(r *request) (any, error) { return a.attachBatchScan(r, true) }

func (a *App) batchScan(r *request) (files.File, error) {
	b, _, err := a.batchOf(r)
	if err != nil {
		return files.File{}, err
	}
	if b.Scan == nil {
		return files.File{}, apperr.NotFound("尚未上传盖章扫描件")
	}
	return *b.Scan, nil
}

func (a *App) batchScanContent(r *request) (any, error) {
	f, err := a.batchScan(r)
	if err != nil {
		return nil, err
	}
	return fileBody{file: f, store: a.files}, nil
}

func (a *App) openBatchScan(r *request) (any, error) {
	f, err := a.batchScan(r)
	if err != nil {
		return nil, err
	}
	return nil, a.openWithSystem(r, f)
}

func (a *App) packageOf(r *request) (batch.Batch, string, error) {
	b, _, err := a.batchOf(r)
	if err != nil {
		return b, "", err
	}
	if b.PackageFile == "" {
		return b, "", apperr.Conflict("该批次尚未提交，没有提交包")
	}
	path := a.batches.PackagePath(b)
	if _, err := os.Stat(path); err != nil {
		a.log.Error("batch: package file missing", "batch", b.Number, "path", path, "err", err)
		return b, "", apperr.NotFound("提交包文件 " + b.PackageFile + " 不在数据文件夹的 packages 中（可能已被移动或删除），请从备份恢复")
	}
	return b, path, nil
}

func copyFile(src string) func(w io.Writer) error {
	return func(w io.Writer) error {
		in, err := os.Open(src)
		if err != nil {
			return err
		}
		defer in.Close()
		_, err = io.Copy(w, in)
		return err
	}
}

func packageName(b batch.Batch) string { return "提交包-" + b.Number + ".zip" }

func (a *App) downloadPackage(r *request) (any, error) {
	b, src, err := a.packageOf(r)
	if err != nil {
		return nil, err
	}
	return download{name: packageName(b), typ: "application/zip", write: copyFile(src)}, nil
}

func (a *App) savePackage(r *request) (any, error) {
	b, src, err := a.packageOf(r)
	if err != nil {
		return nil, err
	}
	return saveAs(r, "保存提交包", packageName(b), zipFilter, copyFile(src))
}
