package app

import (
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"

	"huicai/internal/apperr"
)

// hostPolicy is which Host headers reach this server: a browser led to the
// server under another name (DNS rebinding) is refused, so that a page on
// another site can never talk to it as if it were its own.
type hostPolicy struct {
	scheme string
	port   string
	names  map[string]bool
	// suffixes come from wildcard certificate names: "*.example.org"
	// allows any "x.example.org".
	suffixes []string
}

var loopbackNames = []string{"127.0.0.1", "localhost", "::1"}

// newHostPolicy allows, on a loopback listen address, only 127.0.0.1,
// localhost and [::1]; otherwise the listen address (on a wildcard address:
// the machine's name, its interface addresses and loopback) and the
// certificate's DNS names. Names given with --host are allowed too. bound
// is the address actually listened on (for its port).
func newHostPolicy(listen, bound string, useTLS bool, extra []string, cert *x509.Certificate) hostPolicy {
	p := hostPolicy{scheme: "http", names: map[string]bool{}}
	if useTLS {
		p.scheme = "https"
	}
	_, p.port, _ = net.SplitHostPort(bound)
	host, _, _ := net.SplitHostPort(listen)
	switch ip := net.ParseIP(host); {
	case IsLoopback(listen):
		p.add(loopbackNames...)
	case host == "" || ip != nil && ip.IsUnspecified():
		p.add(loopbackNames...)
		p.add(machineNames()...)
	default:
		p.add(host)
	}
	p.add(extra...)
	if cert != nil && !IsLoopback(listen) {
		p.add(cert.DNSNames...)
	}
	return p
}

func (p *hostPolicy) add(names ...string) {
	for _, n := range names {
		n = normalHost(n)
		if suffix, ok := strings.CutPrefix(n, "*."); ok {
			p.suffixes = append(p.suffixes, "."+suffix)
		} else if n != "" {
			p.names[n] = true
		}
	}
}

// machineNames are the host name and every interface address.
func machineNames() []string {
	var names []string
	if h, err := osHostname(); err == nil {
		short, _, _ := strings.Cut(h, ".")
		names = append(names, h, short)
	}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			names = append(names, n.IP.String())
		}
	}
	return names
}

// normalHost lower-cases a name and drops IPv6 brackets and a final dot.
func normalHost(h string) string {
	h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
	return strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
}

// split parses a Host header (or an origin's host), filling in the
// scheme's default port.
func split(hostport, scheme string) (host, port string) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		host, port = hostport, "80"
		if scheme == "https" {
			port = "443"
		}
	}
	return normalHost(host), port
}

// allows reports whether a request's Host header names this server.
func (p hostPolicy) allows(hostHeader string) bool {
	host, port := split(hostHeader, p.scheme)
	if port != p.port {
		return false
	}
	if p.names[host] {
		return true
	}
	for _, s := range p.suffixes {
		if rest, ok := strings.CutSuffix(host, s); ok && rest != "" && !strings.Contains(rest, ".") {
			return true
		}
	}
	return false
}

// sameOrigin reports whether a browser's Origin header is the server's own
// origin as the request reached it (scheme, host and port).
func (p hostPolicy) sameOrigin(origin, hostHeader string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Scheme != p.scheme || u.Host == "" || u.Path != "" || u.User != nil {
		return false
	}
	oh, op := split(u.Host, u.Scheme)
	rh, rp := split(hostHeader, p.scheme)
	return oh == rh && op == rp
}

var (
	errWrongHost = apperr.New(apperr.CodeForbidden,
		"访问地址不是本服务器的地址，已拒绝。请使用服务器启动时显示的地址；其他名称需在启动服务器时用 --host 指定")
	errCrossSite = apperr.New(apperr.CodeForbidden, "已拒绝来自其他网站的请求：请在惠才通自己的页面中操作")
)

// guard refuses, before anything else runs, a request whose Host is not
// this server's (421), and a state-changing request sent by a page of
// another site (403): its Origin is another origin, or the browser says
// it is cross-site. Requests without an Origin (programs, not browsers)
// pass. It wraps the LAN server only: the desktop window's Bridge calls
// the API in-process.
func guard(next http.Handler, hosts hostPolicy, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !hosts.allows(r.Host) {
			log.Warn("serve: refused a request for another host", "host", r.Host, "path", r.URL.Path, "client", clientAddress(r))
			refuse(w, r, http.StatusMisdirectedRequest, errWrongHost)
			return
		}
		if !safeMethod(r.Method) && crossSite(r, hosts) {
			log.Warn("serve: refused a cross-site request", "origin", r.Header.Get("Origin"),
				"fetch_site", r.Header.Get("Sec-Fetch-Site"), "method", r.Method, "path", r.URL.Path, "client", clientAddress(r))
			refuse(w, r, http.StatusForbidden, errCrossSite)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func crossSite(r *http.Request, hosts hostPolicy) bool {
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return true
	}
	origin := r.Header.Get("Origin")
	return origin != "" && !hosts.sameOrigin(origin, r.Host)
}

// refuse answers an API call with the error as JSON, a page with its text.
func refuse(w http.ResponseWriter, r *http.Request, status int, e *apperr.Error) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, status, errorBody{e})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(e.Message + "\n")) // a refused client that went away needs no answer
}

// hostNames is the repeatable --host option.
type hostNames []string

// String lists the names given.
func (h *hostNames) String() string { return strings.Join(*h, ",") }

// Set adds one name.
func (h *hostNames) Set(name string) error {
	if normalHost(name) == "" || strings.ContainsAny(name, "/:") && net.ParseIP(normalHost(name)) == nil {
		return fmt.Errorf("--host 需要一个名称或 IP 地址（不带端口），如 huicai.example.org，而不是 %q", name)
	}
	*h = append(*h, name)
	return nil
}
