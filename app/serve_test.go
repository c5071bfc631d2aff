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

// TestTLSOffersOnlyAEADSuites: TLS 1.2 clients get forward-secret AEAD
// suites only; one offering nothing but CBC (with SHA-1 or SHA-256) is
// refused in the handshake.
func TestTLSOffersOnlyAEADSuites(t *testing.T) {
	a := newTestApp(t)
	addr, _ := serving(t, func(ctx context.Context, opt ServeOptions) error {
		opt.TLSSelfSigned = true
		return a.Serve(ctx, testAssets(), opt)
	})
	handshake := func(suites ...uint16) error {
		cfg := &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12, CipherSuites: suites}
		if suites == nil {
			cfg.MaxVersion = tls.VersionTLS13
		}
		conn, err := tls.Dial("tcp", addr, cfg)
		if err == nil {
			conn.Close()
		}
		return err
	}
	for _, s := range []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256} {
		if err := handshake(s); err == nil {
			t.Errorf("%s accepted", tls.CipherSuiteName(s))
		}
	}
	for _, s := range []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256} {
		if err := handshake(s); err != nil {
			t.Errorf("%s refused: %v", tls.CipherSuiteName(s), err)
		}
	}
	if err := handshake(); err != nil {
		t.Errorf("TLS 1.3: %v", err)
	}
}

// TestServeChecksTheHost: the running server, not only its handler,
// refuses a rebound name — for pages and the API alike.
func TestServeChecksTheHost(t *testing.T) {
	a := newTestApp(t)
	addr, _ := serving(t, func(ctx context.Context, opt ServeOptions) error { return a.Serve(ctx, testAssets(), opt) })
	for _, path := range []string{"/", "/api/setup"} {
		req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
		req.Host = "rebind.evil.example:" + strings.Split(addr, ":")[1]
		if r := fetch(t, req); r.Status != http.StatusMisdirectedRequest || !strings.Contains(r.Raw, "不是本服务器的地址") {
			t.Errorf("GET %s under a rebound name: %d %s", path, r.Status, r.Raw)
		}
		if r := get(t, addr, path); r.Status != 200 {
			t.Errorf("GET %s: %d", path, r.Status)
		}
	}
}
