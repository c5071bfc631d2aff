package app

import (
	"bufio"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	"huicai/internal/apperr"
	"huicai/internal/files"
)

// nativeFiles is what only the desktop window can do with files: pick one
// with the native open dialog, and open one in the system's viewer. The
// Bridge puts it into each request's context; browsers upload and download
// instead.
type nativeFiles interface {
	ChooseFile(title string, filter fileFilter) (string, error)
	ChooseFolder(title string) (string, error)
	SaveFile(title, defaultName string, filter fileFilter) (string, error)
	OpenWithSystem(path string) error
}

// fileFilter limits what a native dialog offers: a description and
// semicolon-separated patterns.
type fileFilter struct {
	Name    string
	Pattern string
}

var (
	scanFilter    = fileFilter{"PDF、JPG、PNG 文件", "*.pdf;*.jpg;*.jpeg;*.png"}
	zipFilter     = fileFilter{"提交包、回执（zip）", "*.zip"}
	pemFilter     = fileFilter{"公钥（PEM）", "*.pem;*.txt"}
	documentTypes = scanFilter
)

type nativeFilesKey struct{}

func withNativeFiles(ctx context.Context, n nativeFiles) context.Context {
	return context.WithValue(ctx, nativeFilesKey{}, n)
}

func nativeFilesOf(r *request) (nativeFiles, error) {
	n, ok := r.Context().Value(nativeFilesKey{}).(nativeFiles)
	if !ok {
		return nil, apperr.NotFound("此功能仅在桌面版中可用")
	}
	return n, nil
}

// errCancelled reports a dialog the user closed without choosing.
var errCancelled = apperr.New(apperr.CodeCancelled, "已取消")

// receiveFile stores the file a request brings: in the desktop window the
// one chosen in the native dialog, in a browser the raw request body named
// by the X-File-Name header.
func (a *App) receiveFile(r *request, choose bool, title string) (files.File, error) {
	if !choose {
		name, err := url.QueryUnescape(r.Header.Get("X-File-Name")) // encodeURIComponent in the browser
		if err != nil {
			name = ""
		}
		body := http.MaxBytesReader(nil, r.Body, files.MaxSize+1)
		f, err := a.files.Put(body, name)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return files.File{}, apperr.New(apperr.CodeTooLarge, "文件超过20MB，请压缩或拆分后再上传")
		}
		return f, err
	}
	n, err := nativeFilesOf(r)
	if err != nil {
		return files.File{}, err
	}
	path, err := n.ChooseFile(title, documentTypes)
	if err != nil {
		return files.File{}, err
	}
	if path == "" {
		return files.File{}, errCancelled
	}
	in, err := os.Open(path)
	if err != nil {
		return files.File{}, apperr.InvalidField("file", "无法读取所选文件："+filepath.Base(path))
	}
	defer in.Close()
	return a.files.Put(in, filepath.Base(path))
}

// receiveDropped stores a file dropped onto the desktop window: Wails hands
// the page its path, and only the desktop (whose requests carry the native
// file capability) may read local paths.
func (a *App) receiveDropped(r *request, path string) (files.File, error) {
	if _, err := nativeFilesOf(r); err != nil {
		return files.File{}, err
	}
	in, err := os.Open(path)
	if err != nil {
		return files.File{}, apperr.InvalidField("file", "无法读取拖入的文件："+filepath.Base(path))
	}
	defer in.Close()
	if st, err := in.Stat(); err != nil || st.IsDir() {
		return files.File{}, apperr.InvalidField("file", "只能拖入文件，不能拖入文件夹")
	}
	return a.files.Put(in, filepath.Base(path))
}

// fileBody is an answer that is a stored file rather than JSON.
type fileBody struct {
	file  files.File
	store *files.Store
}

// write sends the file. Its first read comes before the headers, so a
// damaged file of up to a chunk (files.Open checks those whole at their
// first read) gets an error answer; a larger one ends short of its
// Content-Length, which the client takes for a failed download.
func (b fileBody) write(w http.ResponseWriter) error {
	f, err := b.store.Open(b.file)
	if err != nil {
		return err
	}
	defer f.Close()
	in := bufio.NewReaderSize(f, 64<<10)
	if _, err := in.Peek(1); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	w.Header().Set("Content-Type", b.file.Type)
	w.Header().Set("Content-Length", strconv.FormatInt(b.file.Size, 10))
	w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(b.file.Name))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err = io.Copy(w, in)
	return err
}

// openWithSystem copies a stored file into a temporary folder under its
// display name and opens it with the system's viewer (desktop only).
func (a *App) openWithSystem(r *request, f files.File) error {
	n, err := nativeFilesOf(r)
	if err != nil {
		return err
	}
	in, err := a.files.Open(f)
	if err != nil {
		return err
	}
	defer in.Close()
	dir, err := os.MkdirTemp("", "huicai-view-*")
	if err != nil {
		return err
	}
	path := filepath.Join(dir, f.Name)
	out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil { // a damaged file ends with an error: nothing is opened
		out.Close()
		os.RemoveAll(dir)
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return n.OpenWithSystem(path)
}

// chooseInput opens a file picked in the native dialog (desktop only).
func chooseInput(r *request, title string, filter fileFilter) (*os.File, error) {
	n, err := nativeFilesOf(r)
	if err != nil {
		return nil, err
	}
	path, err := n.ChooseFile(title, filter)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return nil, errCancelled
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, apperr.InvalidField("file", "无法读取所选文件："+filepath.Base(path))
	}
	return f, nil
}

// saved says where the desktop wrote a file or folder.
type saved struct {
	Path string `json:"path"`
}

// saveAs asks where to save a file (desktop only) and writes it there
// through a temporary name, so a failed write leaves nothing.
func saveAs(r *request, title, name string, filter fileFilter, write func(w io.Writer) error) (any, error) {
	n, err := nativeFilesOf(r)
	if err != nil {
		return nil, err
	}
	dest, err := n.SaveFile(title, name, filter)
	if err != nil {
		return nil, err
	}
	if dest == "" {
		return nil, errCancelled
	}
	return saved{dest}, writeAtomically(dest, write)
}

// writeAtomically writes dest through a temporary file beside it: a failed
// write, or a dest another program holds open, leaves dest as it was and
// no temporary file behind.
func writeAtomically(dest string, write func(w io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".huicai-*.partial")
	if err != nil {
		return apperr.InvalidField("path", "无法写入所选位置："+filepath.Dir(dest))
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		if inUseByAnother(dest) {
			return errInUse(dest)
		}
		return err
	}
	return nil
}

// replaceDir puts the finished folder tmp in dest's place. A file in the
// old dest that another program holds open stops it before anything
// changes; the old folder is moved aside, not deleted, until tmp is in.
func replaceDir(tmp, dest string) error {
	if busy := fileInUseUnder(dest); busy != "" {
		return errInUse(busy)
	}
	aside := tmp + "-old"
	if err := os.Rename(dest, aside); err != nil && !errors.Is(err, fs.ErrNotExist) {
		if busy := fileInUseUnder(dest); busy != "" {
			return errInUse(busy)
		}
		return err
	}
	if err := os.Rename(tmp, dest); err != nil {
		_ = os.Rename(aside, dest) // put the old folder back
		return err
	}
	os.RemoveAll(aside)
	return nil
}

// fileInUseUnder names the first file in the folder dir that another
// program holds open ("" when none, or when dir does not exist).
func fileInUseUnder(dir string) string {
	busy := ""
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && inUseByAnother(path) {
			busy = path
			return fs.SkipAll
		}
		return nil
	})
	return busy
}

// errInUse says which file to close: Windows refuses to replace a file
// that Excel or WPS has open.
func errInUse(path string) error {
	return apperr.Conflict("文件 " + filepath.Base(path) + " 正被其他程序（如 Excel、WPS）打开，请关闭后再保存")
}

// download is an answer that is a file for the browser to save.
type download struct {
	name  string
	typ   string
	write func(w io.Writer) error
}

func (d download) writeTo(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", d.typ)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(d.name))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	return d.write(w)
}
