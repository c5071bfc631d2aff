package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"huicai/internal/setup"
	"huicai/internal/store"
	"huicai/internal/testdb"
	"huicai/internal/vault"
)

var tokenLine = regexp.MustCompile(`初始设置口令：(\S+)`)

// serving runs serve (Serve, or serveStartupFailure) on a free loopback
// port until the test ends and returns its address and what it printed.
func serving(t *testing.T, serve func(ctx context.Context, opt ServeOptions) error) (string, *syncBuffer) {
	t.Helper()
	out := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ServeOptions{Listen: "127.0.0.1:0", DataDir: t.TempDir(), Out: out}) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	for {
		if m := startedLine.FindStringSubmatch(out.String()); m != nil {
			return m[2], out
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, out)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// post sends a JSON body to a running server as a program would.
func post(t *testing.T, addr, path, body string) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", "http://"+addr+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return fetch(t, req)
}

func get(t *testing.T, addr, path string) answer {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
	return fetch(t, req)
}

func fetch(t *testing.T, req *http.Request) answer {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := answer{Status: res.StatusCode, Raw: string(raw)}
	json.Unmarshal(raw, &out.Body)
	return out
}

// withToken adds the setup token to a setup body.
func withToken(body, token string) string {
	return strings.Replace(body, "{", `{"setup_token":"`+token+`",`, 1)
}

// TestLANSetupNeedsTheTokenFromTheConsole: a fresh server prints a
// one-time token; setup without it, or with a wrong one, is refused and
// writes nothing; with it (as typed: lower case, no dashes) setup runs.
func TestLANSetupNeedsTheTokenFromTheConsole(t *testing.T) {
	a := newTestApp(t)
	addr, out := serving(t, func(ctx context.Context, opt ServeOptions) error { return a.Serve(ctx, testAssets(), opt) })
	m := tokenLine.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no setup token printed:\n%s", out)
	}
	token := m[1]
	if s := get(t, addr, "/api/setup"); s.Body["done"] != false || s.Body["token_required"] != true {
		t.Fatalf("status: %s", s.Raw)
	}
	steps := []struct {
		name, body string
		status     int
		field      string
	}{
		{"no token", validSetup, 403, "请填写服务器窗口中显示的初始设置口令"},
		{"empty token", withToken(validSetup, ""), 403, "请填写服务器窗口中显示的初始设置口令"},
		{"wrong token", withToken(validSetup, "ACDEF-GHJKM-NPQRT"), 403, "初始设置口令不正确"},
		{"right token, bad input", withToken(strings.Replace(validSetup, "512F", "512G", 1), token), 400, ""},
		{"right token as typed", withToken(validSetup, strings.ToLower(strings.ReplaceAll(token, "-", ""))), 200, ""},
		{"setup again", withToken(validSetup, token), 409, ""},
		{"setup again without the token", validSetup, 409, ""},
	}
	for _, s := range steps {
		users := countRows(t, a, "users")
		r := post(t, addr, "/api/setup", s.body)
		if r.Status != s.status || r.errField("setup_token") != s.field {
			t.Errorf("%s: %d %s, want %d %q", s.name, r.Status, r.Raw, s.status, s.field)
		}
		if s.status != 200 && countRows(t, a, "users") != users {
			t.Errorf("%s: refused, yet wrote", s.name)
		}
	}
	if s := get(t, addr, "/api/setup"); s.Body["done"] != true || s.Body["token_required"] != nil {
		t.Errorf("status after setup: %s", s.Raw)
	}
}

func TestNoSetupTokenOnceSetUpOrInTheWindow(t *testing.T) {
	a := newTestApp(t)
	b := &Bridge{api: a.API()}
	if s := b.Call(BridgeRequest{Method: "GET", Path: "/api/setup"}); strings.Contains(s.Body, "token_required") {
		t.Errorf("the desktop window is asked for a token: %s", s.Body)
	}
	if res := b.Call(BridgeRequest{Method: "POST", Path: "/api/setup", Headers: map[string]string{"Content-Type": "application/json"}, Body: validSetup}); res.Status != 200 {
		t.Fatalf("setup in the window: %d %s", res.Status, res.Body)
	}
	_, out := serving(t, func(ctx context.Context, opt ServeOptions) error { return a.Serve(ctx, testAssets(), opt) })
	if strings.Contains(out.String(), "初始设置口令") {
		t.Errorf("a set-up server printed a setup token:\n%s", out)
	}
}

// emptiedInstallation is the probe's folder: a unit that was set up and
// backed up, whose huicai.db was then truncated to 0 bytes.
func emptiedInstallation(t *testing.T) string {
	t.Helper()
	f := newRoleFixture(t)
	if _, err := f.a.writeBackup(context.Background(), "huicai-manual-20260101-120000.zip"); err != nil {
		t.Fatal(err)
	}
	dir := f.a.dataDir
	f.a.Close()
	for _, name := range []string{store.FileName + "-wal", store.FileName + "-shm"} {
		os.Remove(filepath.Join(dir, name))
	}
	if err := os.Truncate(filepath.Join(dir, store.FileName), 0); err != nil {
		t.Fatal(err)
	}
	return dir
}

func folderFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != "huicai.log" {
			data, _ := os.ReadFile(path)
			files[path] = string(data)
		}
		return err
	})
	return files
}

// TestEmptiedDatabaseIsNoFreshInstall: the probe's takeover — the first
// visitor of an emptied installation becoming leader and exporting the
// old data key — is refused: opening the folder fails before anything is
// written, saying why and how to restore, and the server that keeps
// running shows that instead of the first-run form.
func TestEmptiedDatabaseIsNoFreshInstall(t *testing.T) {
	dir := emptiedInstallation(t)
	before := folderFiles(t, dir)
	_, _, err := openApp(dir, testdb.Policy(), io.Discard)
	var nf *setup.NotFreshError
	if !errors.As(err, &nf) || !nf.Left.Key || !nf.Left.Backups || !nf.Left.Files {
		t.Fatalf("open: %v", err)
	}
	for _, want := range []string{"不是新安装", "huicai restore 备份文件.zip --data " + dir, "huicai key restore"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %s", want, err)
		}
	}
	if !maps.Equal(folderFiles(t, dir), before) {
		t.Error("the refused open changed the data folder")
	}

	var stderr bytes.Buffer
	addr, _ := serving(t, func(ctx context.Context, opt ServeOptions) error {
		opt.DataDir = dir
		return serveStartupFailure(ctx, testAssets(), opt, err, &stderr)
	})
	s := get(t, addr, "/api/setup")
	refused, _ := s.Body["setup_refused"].(string)
	if s.Body["done"] != false || !strings.Contains(refused, "不是新安装") {
		t.Errorf("status: %s", s.Raw)
	}
	if r := post(t, addr, "/api/setup", validSetup); r.Status != 409 || !strings.Contains(r.Raw, "不是新安装") {
		t.Errorf("setup: %d %s", r.Status, r.Raw)
	}
	if r := post(t, addr, "/api/keys/recovery", `{"passphrase":"山东大学人才办2026年","passphrase_confirm":"山东大学人才办2026年"}`); r.Status != 503 {
		t.Errorf("key export: %d %s", r.Status, r.Raw)
	}
	if r := get(t, addr, "/api/backups"); r.Status != 503 {
		t.Errorf("backups: %d %s", r.Status, r.Raw)
	}
	if !maps.Equal(folderFiles(t, dir), before) {
		t.Error("the refusing server changed the data folder")
	}
	if !strings.Contains(stderr.String(), "不是新安装") {
		t.Errorf("console: %s", stderr.String())
	}
}

// TestRestoreBringsAnEmptiedInstallationBack follows the message's advice.
func TestRestoreBringsAnEmptiedInstallationBack(t *testing.T) {
	dir := emptiedInstallation(t)
	backupZip := filepath.Join(dir, "backups", "huicai-manual-20260101-120000.zip")
	if code, _, stderr := runCLI("restore", backupZip, "--data", dir); code != 0 {
		t.Fatalf("restore: %s", stderr)
	}
	if err := openErr(dir); err != nil {
		t.Fatalf("open after restore: %v", err)
	}
}

func TestOtherOpenErrorsStillStopTheServer(t *testing.T) {
	err := &openError{dir: "/x", err: vault.ErrKeyMissing}
	if got := serveStartupFailure(context.Background(), testAssets(), ServeOptions{}, err, io.Discard); !errors.Is(got, err) {
		t.Errorf("got %v", got)
	}
}

// A restart before setup is not a leftover: the key the first start made
// belongs to the database it opened.
func TestRestartBeforeSetupIsStillFresh(t *testing.T) {
	dir := t.TempDir()
	for range 2 {
		a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		a.Close()
	}
}
