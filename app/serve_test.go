package app

import (
	"context"
	"crypto/tls"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var startedLine = regexp.MustCompile(`(https?)://(127\.0\.0\.1:\d+)/`)

func TestServeWithSelfSignedTLS(t *testing.T) {
	a := newTestApp(t)
	dir := t.TempDir()
	out := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- a.Serve(ctx, testAssets(), ServeOptions{Listen: "127.0.0.1:0", TLSSelfSigned: true, DataDir: dir, Out: out})
	}()
	var m []string
	for i := 0; i < 100 && m == nil; i++ {
		time.Sleep(20 * time.Millisecond)
		m = startedLine.FindStringSubmatch(out.String())
	}
	if m == nil || m[1] != "https" {
		t.Fatalf("no https start line in %q", out.String())
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	res, err := client.Get("https://" + m[2] + "/api/setup")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("status %d, HSTS %q", res.StatusCode, res.Header.Get("Strict-Transport-Security"))
	}
	fp := Fingerprint(res.TLS.PeerCertificates[0].Raw)
	if !strings.Contains(out.String(), fp) {
		t.Errorf("printed fingerprint does not match the served certificate %s:\n%s", fp, out.String())
	}
	if st, err := os.Stat(filepath.Join(dir, "tls", "key.pem")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v", st, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
}
