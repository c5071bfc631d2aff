package app

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Bridge is the single method the desktop window is bound to. It carries an
// API call into the same handler browsers reach over HTTP, so the WebView
// never sends request bodies or cookies of its own.
type Bridge struct {
	api http.Handler
	ctx context.Context
}

// BridgeRequest is an API call from the desktop window.
type BridgeRequest struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

// BridgeResponse is the API's answer. Bodies that are not UTF-8 text travel
// base64-encoded with Base64 set.
type BridgeResponse struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
	Base64  bool              `json:"base64"`
}

// desktopClient is the client address audited for calls from the window.
const desktopClient = "本机"

// Call performs one API call in-process.
func (b *Bridge) Call(req BridgeRequest) BridgeResponse {
	if !strings.HasPrefix(req.Path, "/api/") {
		return BridgeResponse{Status: http.StatusNotFound, Body: `{"error":{"code":"not_found","message":"没有这个接口"}}`}
	}
	ctx := b.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	hr := httptest.NewRequestWithContext(withNativeFiles(ctx, desktopFiles{ctx}), req.Method, req.Path, strings.NewReader(req.Body))
	hr.RemoteAddr = desktopClient
	for k, v := range req.Headers {
		hr.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	b.api.ServeHTTP(rec, hr)
	out := BridgeResponse{Status: rec.Code, Headers: map[string]string{}}
	for k := range rec.Header() {
		out.Headers[k] = rec.Header().Get(k)
	}
	body := rec.Body.Bytes()
	if utf8.Valid(body) {
		out.Body = string(body)
	} else {
		out.Body, out.Base64 = base64.StdEncoding.EncodeToString(body), true
	}
	return out
}

// desktopFiles gives handlers the window's native file dialogs. It is not
// bound to the window, so none of its methods are exposed to the UI.
type desktopFiles struct {
	ctx context.Context
}

// ChooseFile shows the native open dialog and returns the chosen path (""
// when cancelled).
func (d desktopFiles) ChooseFile(title string, filter fileFilter) (string, error) {
	return runtime.OpenFileDialog(d.ctx, runtime.OpenDialogOptions{
		Title:   title,
		Filters: []runtime.FileFilter{{DisplayName: filter.Name, Pattern: filter.Pattern}},
	})
}

// ChooseFolder shows the native folder dialog.
func (d desktopFiles) ChooseFolder(title string) (string, error) {
	return runtime.OpenDirectoryDialog(d.ctx, runtime.OpenDialogOptions{Title: title, CanCreateDirectories: true})
}

// SaveFile shows the native save dialog.
func (d desktopFiles) SaveFile(title, defaultName string, filter fileFilter) (string, error) {
	return runtime.SaveFileDialog(d.ctx, runtime.SaveDialogOptions{
		Title: title, DefaultFilename: defaultName, CanCreateDirectories: true,
		Filters: []runtime.FileFilter{{DisplayName: filter.Name, Pattern: filter.Pattern}},
	})
}

// OpenWithSystem opens a file with the system's default viewer.
func (d desktopFiles) OpenWithSystem(path string) error {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/Users/… on Windows
	}
	runtime.BrowserOpenURL(d.ctx, (&url.URL{Scheme: "file", Path: p}).String())
	return nil
}
