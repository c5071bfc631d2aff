package app

import (
	"bufio"
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
	a := newTestApp(t)
	srv := httptest.NewServer(a.API())
	defer srv.Close()
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
	files, routines := openFiles(t), runtime.NumGoroutine()

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
	if openFiles(t) <= files {
		t.Fatal("the download did not hold the backup open while sending it")
	}
	conn.Close()

	// Generous: the server notices within milliseconds; the deadline only
	// turns a leak into a failure.
	deadline := time.Now().Add(20 * time.Second)
	for openFiles(t) > files || runtime.NumGoroutine() > routines {
		if time.Now().After(deadline) {
			t.Fatalf("after the client left: %d open files (%d before), %d goroutines (%d before)",
				openFiles(t), files, runtime.NumGoroutine(), routines)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
