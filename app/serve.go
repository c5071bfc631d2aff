package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"path"
	"strings"
	"time"

	"huicai/internal/setup"
)

// ServeOptions configure huicai serve.
type ServeOptions struct {
	Listen        string
	TLSCert       string
	TLSKey        string
	TLSSelfSigned bool
	// Hosts are further names browsers may use to reach the server (--host).
	Hosts   []string
	DataDir string
	// Out receives the lines a person starting the server reads.
	Out io.Writer
	// Ready, if set, is called with the address the server listens on
	// (host:port) before it serves the first request.
	Ready func(addr string)
}

// ErrPlainLAN refuses plain HTTP on an address other machines can reach.
var ErrPlainLAN = errors.New("监听非本机地址时必须启用 TLS（--tls-cert 与 --tls-key，或 --tls-self-signed），否则个人信息会以明文在局域网中传输")

// IsLoopback reports whether listen (host:port) only accepts local connections.
func IsLoopback(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Handler returns the whole site: the API under /api and the embedded
// frontend everywhere else, with security headers on every answer.
func (a *App) Handler(assets fs.FS) http.Handler { return site(a.API(), assets) }

// site serves api under /api and the frontend everywhere else.
func site(api http.Handler, assets fs.FS) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	mux.Handle("/", spa(assets))
	return secureHeaders(mux)
}

// spa serves the built frontend, answering unknown paths with index.html so
// that client-side routes survive a reload.
func spa(assets fs.FS) http.Handler {
	files := http.FileServerFS(assets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name == "" {
			name = "index.html"
		}
		if _, err := fs.Stat(assets, name); err != nil {
			r = r.Clone(r.Context())
			r.URL.Path = "/"
		}
		if strings.HasPrefix(name, "assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}

const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
	"frame-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// Serve runs the LAN server until ctx ends. While first-run setup is not
// done it prints a one-time setup token that setup through the server asks
// for, so that only someone at the server can claim a fresh installation.
func (a *App) Serve(ctx context.Context, assets fs.FS, opt ServeOptions) error {
	if err := a.announceSetupToken(ctx, opt.Out); err != nil {
		return err
	}
	return serveSite(ctx, a.Handler(assets), opt, a.log, a.AutoBackup)
}

// announceSetupToken makes and prints the setup token unless setup is done.
func (a *App) announceSetupToken(ctx context.Context, out io.Writer) error {
	done, err := setup.Done(ctx, a.db)
	if err != nil || done {
		return err
	}
	a.setupToken = setup.NewToken()
	fmt.Fprintf(out, "初始设置口令：%s （首次设置时在浏览器的设置页面中填写；只显示在本窗口）\n", a.setupToken)
	return nil
}

// serveStartupFailure keeps serving, with the page that says why, a data
// folder refused because an earlier installation left it (see
// setup.CheckFresh), so that the browsers see why there is no first-run
// form. Any other error from opening the data folder is returned.
func serveStartupFailure(ctx context.Context, assets fs.FS, opt ServeOptions, err error, stderr io.Writer) error {
	var oe *openError
	var nf *setup.NotFreshError
	if !errors.As(err, &oe) || !errors.As(err, &nf) {
		return err
	}
	fmt.Fprintln(stderr, "错误："+err.Error())
	log := slog.New(slog.NewTextHandler(stderr, nil))
	return serveSite(ctx, site(newStartupFailure(opt.DataDir, oe, log).API(), assets), opt, log, nil)
}

// serveSite serves site, behind the host and origin checks, until ctx ends;
// background, if set, runs meanwhile and is stopped and waited for.
func serveSite(ctx context.Context, site http.Handler, opt ServeOptions, log *slog.Logger, background func(context.Context)) error {
	ln, hosts, config, err := listen(opt)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           guard(site, hosts, log),
		TLSConfig:         config,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(opt.Out, "惠才通已启动：%s://%s/ （数据文件夹 %s）\n", hosts.scheme, displayAddr(ln.Addr().String()), opt.DataDir)
	log.Info("serve: listening", "addr", ln.Addr().String(), "tls", config != nil, "data", opt.DataDir)
	if opt.Ready != nil {
		opt.Ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if background != nil {
		bgCtx, stop := context.WithCancel(ctx)
		stopped := make(chan struct{})
		go func() { background(bgCtx); close(stopped) }()
		defer func() { stop(); <-stopped }() // a backup under way stops and cleans up first
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shut)
	}
}

// listen opens the listening socket — TLS when configured, plain HTTP only
// on loopback — and works out the host names that reach it.
func listen(opt ServeOptions) (net.Listener, hostPolicy, *tls.Config, error) {
	useTLS := opt.TLSSelfSigned || opt.TLSCert != "" || opt.TLSKey != ""
	if !IsLoopback(opt.Listen) && !useTLS {
		return nil, hostPolicy{}, nil, ErrPlainLAN
	}
	var config *tls.Config
	var leaf *x509.Certificate
	if useTLS {
		cert, err := loadCertificate(opt)
		if err != nil {
			return nil, hostPolicy{}, nil, err
		}
		if leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return nil, hostPolicy{}, nil, fmt.Errorf("无法读取 TLS 证书：%w", err)
		}
		config = serverTLS(cert)
	}
	ln, err := net.Listen("tcp", opt.Listen)
	if err != nil {
		return nil, hostPolicy{}, nil, fmt.Errorf("无法监听 %s：%w", opt.Listen, err)
	}
	hosts := newHostPolicy(opt.Listen, ln.Addr().String(), useTLS, opt.Hosts, leaf)
	if config != nil {
		ln = tls.NewListener(ln, config)
	}
	return ln, hosts, config, nil
}

// serverTLS allows TLS 1.2 and later, and in TLS 1.2 only forward-secret
// AEAD suites: no CBC, no SHA-1, no RSA key exchange. (TLS 1.3 suites are
// all AEAD.)
func serverTLS(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12,
		CipherSuites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
		}}
}

// displayAddr turns a wildcard listen address into one a browser can open.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		if h, err := osHostname(); err == nil {
			return net.JoinHostPort(h, port)
		}
	}
	return addr
}
