package app

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// openFiles counts the process's open file descriptors.
func openFiles(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd here")
	}
	return len(entries)
}

// TestADownloadCutOffMidwayFreesEverything: a browser that goes away in
// the middle of a 64 MB download leaves no open file and no goroutine
// behind on the server.
func TestADownloadCutOffMidwayFreesEverything(t *testing.T) {
	_, conn, before := startBigDownload(t)
	conn.Close()
	before.waitFor(t, "the client left")
}

// TestAStalledDownloadIsCutOff: a client that stops reading a download
// without closing the connection (a laptop put to sleep, a visitor reading
// nothing) is cut off after the stall limit: its file and goroutine are
// freed and the gate a restore takes is free again, while the connection
// is still open.
func TestAStalledDownloadIsCutOff(t *testing.T) {
	a, conn, before := startBigDownload(t)
	defer conn.Close()
	// The client's end of the connection stays open.
	resources{before.files + 1, before.routines}.waitFor(t, "the client stopped reading")
	waitForGate(t, a, "the stalled download")
}

// waitForGate waits until the gate a restore takes is free.
func waitForGate(t *testing.T, a *App, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !a.gate.TryLock() {
		if time.Now().After(deadline) {
			t.Fatalf("a restore still waits for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
	a.gate.Unlock()
}

// resources are the process's open files and goroutines at a moment.
type resources struct{ files, routines int }

// waitFor waits until the open files and goroutines are back to r.
// Generous: the server notices within milliseconds of the stall limit;
// the deadline only turns a leak into a failure.
func (r resources) waitFor(t *testing.T, after string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for openFiles(t) > r.files || runtime.NumGoroutine() > r.routines {
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir("/proc/self/fd")
			for _, e := range entries {
				l, _ := os.Readlink("/proc/self/fd/" + e.Name())
				t.Log(e.Name(), l)
			}
			t.Fatalf("after %s: %d open files (%d before), %d goroutines (%d before)",
				after, openFiles(t), r.files, runtime.NumGoroutine(), r.routines)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startBigDownload starts downloading a 64 MB backup over a raw
// connection (the stall limit shortened to 300 ms) and reads its first
// megabyte; it returns the connection, and the open files and goroutines
// before it was made.
func startBigDownload(t *testing.T) (*App, net.Conn, resources) {
	t.Helper()
	a := newTestApp(t)
	a.stallLimit = 300 * time.Millisecond
	srv := httptest.NewServer(a.API())
	t.Cleanup(srv.Close)
	token := setUp(t, a.API())
	name := "huicai-backup-20261130-090000.zip"
	big := make([]byte, 64<<20)
	if err := os.MkdirAll(a.backupsDir(), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(a.backupsDir(), name), big, 0o600); err != nil {
		t.Fatal(err)
	}
	srv.Client().CloseIdleConnections()
	before := resources{openFiles(t), runtime.NumGoroutine()}

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "GET /api/backups/%s/download HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n",
		name, srv.Listener.Addr(), token)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("download: %v %v", resp, err)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	if openFiles(t) <= before.files {
		t.Fatal("the download did not hold the backup open while sending it")
	}
	return a, conn, before
}

// TestAStalledUploadIsCutOff: a client that sends part of a request's
// body and then nothing, the connection open, is answered with an error
// after the stall limit: the gate a restore takes is free again and
// nothing was saved.
func TestAStalledUploadIsCutOff(t *testing.T) {
	a := newTestApp(t)
	a.stallLimit = 300 * time.Millisecond
	srv := httptest.NewServer(a.API())
	defer srv.Close()
	token := setUp(t, a.API())
	before := len(departments(t, a.API(), token))
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/departments HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\": \"停顿", srv.Listener.Addr(), token)
	if err := conn.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to the stalled upload: %v", err)
	}
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("the stalled upload: %s, want 400", resp.Status)
	}
	waitForGate(t, a, "the stalled upload")
	if after := len(departments(t, a.API(), token)); after != before {
		t.Errorf("%d departments after the stalled upload, %d before", after, before)
	}
}

// departments lists the 二级单位.
func departments(t *testing.T, h http.Handler, token string) []any {
	t.Helper()
	var out []any
	r := call(t, h, "GET", "/api/departments", token, "")
	if r.Status != http.StatusOK {
		t.Fatalf("departments: %d %s", r.Status, r.Raw)
	}
	if err := json.Unmarshal([]byte(r.Raw), &out); err != nil {
		t.Fatal(err)
	}
	return out
}
