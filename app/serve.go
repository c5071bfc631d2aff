package app

import (
	"context"
	"crypto/tls"
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
)

// ServeOptions configure huicai serve.
type ServeOptions struct {
	Listen        string
	TLSCert       string
	TLSKey        string
	TLSSelfSigned bool
	DataDir       string
	// Out receives the lines a person starting the server reads.
	Out io.Writer
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
func (a *App) Handler(assets fs.FS) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/", a.API())
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

// Serve runs the LAN server until ctx ends.
func (a *App) Serve(ctx context.Context, assets fs.FS, opt ServeOptions) error {
	useTLS := opt.TLSSelfSigned || opt.TLSCert != "" || opt.TLSKey != ""
	if !IsLoopback(opt.Listen) && !useTLS {
		return ErrPlainLAN
	}
	srv := &http.Server{
		Addr:              opt.Listen,
		Handler:           a.Handler(assets),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	if useTLS {
		cert, err := loadCertificate(opt)
		if err != nil {
			return err
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", opt.Listen)
	if err != nil {
		return fmt.Errorf("无法监听 %s：%w", opt.Listen, err)
	}
	scheme := "http"
	if useTLS {
		scheme = "https"
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	fmt.Fprintf(opt.Out, "惠才通已启动：%s://%s/ （数据文件夹 %s）\n", scheme, displayAddr(ln.Addr().String()), opt.DataDir)
	a.log.Info("serve: listening", "addr", ln.Addr().String(), "tls", useTLS, "data", opt.DataDir)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	backupCtx, stopBackups := context.WithCancel(ctx)
	backups := make(chan struct{})
	go func() { a.AutoBackup(backupCtx); close(backups) }()
	defer func() { stopBackups(); <-backups }() // a backup under way stops and cleans up first
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shut)
	}
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
