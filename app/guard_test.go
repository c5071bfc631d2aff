package app

import (
	"crypto/x509"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// probe is one request as a page on another site, a rebinding DNS name or
// an honest browser would send it to a server listening on 127.0.0.1:8080.
type probe struct {
	name, method, path, host, origin, fetchSite, contentType, body string
	status                                                         int
}

func (p probe) send(t *testing.T, h http.Handler) answer {
	t.Helper()
	req := httptest.NewRequest(p.method, p.path, strings.NewReader(p.body))
	req.Host = p.host
	for k, v := range map[string]string{"Origin": p.origin, "Sec-Fetch-Site": p.fetchSite, "Content-Type": p.contentType} {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	out := answer{Status: rec.Code, Raw: rec.Body.String()}
	json.Unmarshal(rec.Body.Bytes(), &out.Body)
	return out
}

const (
	loopback  = "127.0.0.1:8080"
	evil      = "https://evil.example"
	jsonType  = "application/json"
	loginBody = `{"username":"leader","password":"Leader@2026"}`
)

var loopbackPolicy = newHostPolicy(loopback, loopback, false, nil, nil)

// TestCrossSiteAndRebindingProbes replays the security probe's requests
// against the LAN server's handler: a page on another site, and the same
// page reached through a rebound DNS name, may neither set the server up
// nor sign in; the server's own pages and programs without an Origin still
// work. Refused calls write nothing.
func TestCrossSiteAndRebindingProbes(t *testing.T) {
	a := newTestApp(t)
	h := guard(a.Handler(testAssets()), loopbackPolicy, slog.New(slog.NewTextHandler(io.Discard, nil)))
	steps := []probe{
		{name: "the probe: text/plain setup from another site", method: "POST", path: "/api/setup", host: loopback,
			origin: evil, contentType: "text/plain", body: validSetup, status: 403},
		{name: "JSON setup from another site", method: "POST", path: "/api/setup", host: loopback,
			origin: evil, contentType: jsonType, body: validSetup, status: 403},
		{name: "the probe through a rebound name", method: "POST", path: "/api/setup", host: "rebind.evil.example",
			origin: evil, contentType: "text/plain", body: validSetup, status: 421},
		{name: "rebound name with the server's port, same origin", method: "POST", path: "/api/setup", host: "rebind.evil.example:8080",
			origin: "http://rebind.evil.example:8080", contentType: jsonType, body: validSetup, status: 421},
		{name: "rebound name reading the setup state", method: "GET", path: "/api/setup", host: "rebind.evil.example:8080", status: 421},
		{name: "rebound name loading the page", method: "GET", path: "/", host: "rebind.evil.example:8080", status: 421},
		{name: "right name, wrong port", method: "GET", path: "/api/setup", host: "127.0.0.1:9090", status: 421},
		{name: "the browser says cross-site", method: "POST", path: "/api/setup", host: loopback,
			fetchSite: "cross-site", contentType: jsonType, body: validSetup, status: 403},
		{name: "opaque origin (sandboxed frame)", method: "POST", path: "/api/setup", host: loopback,
			origin: "null", contentType: jsonType, body: validSetup, status: 403},
		{name: "another port of the same machine", method: "POST", path: "/api/setup", host: loopback,
			origin: "http://127.0.0.1:9090", contentType: jsonType, body: validSetup, status: 403},
		{name: "https origin for an http server", method: "POST", path: "/api/setup", host: loopback,
			origin: "https://127.0.0.1:8080", contentType: jsonType, body: validSetup, status: 403},
		{name: "text/plain without an Origin", method: "POST", path: "/api/setup", host: loopback,
			contentType: "text/plain", body: validSetup, status: 415},
		{name: "form encoding", method: "POST", path: "/api/setup", host: loopback,
			contentType: "application/x-www-form-urlencoded", body: validSetup, status: 415},
		{name: "no Content-Type", method: "POST", path: "/api/setup", host: loopback, body: validSetup, status: 415},
		{name: "JSON in another charset", method: "POST", path: "/api/setup", host: loopback,
			contentType: "application/json; charset=gbk", body: validSetup, status: 415},
		{name: "the server's own page", method: "POST", path: "/api/setup", host: loopback,
			origin: "http://127.0.0.1:8080", fetchSite: "same-origin", contentType: "application/json; charset=UTF-8", body: validSetup, status: 200},
		{name: "login from another site", method: "POST", path: "/api/session", host: loopback,
			origin: evil, contentType: jsonType, body: loginBody, status: 403},
		{name: "login from another site, text/plain", method: "POST", path: "/api/session", host: loopback,
			origin: evil, contentType: "text/plain", body: loginBody, status: 403},
		{name: "login through a rebound name", method: "POST", path: "/api/session", host: "rebind.evil.example:8080",
			contentType: jsonType, body: loginBody, status: 421},
		{name: "login from the page at localhost", method: "POST", path: "/api/session", host: "localhost:8080",
			origin: "http://localhost:8080", contentType: jsonType, body: loginBody, status: 200},
		{name: "login from the page at [::1]", method: "POST", path: "/api/session", host: "[::1]:8080",
			origin: "http://[::1]:8080", contentType: jsonType, body: loginBody, status: 200},
		{name: "login from a program (no Origin)", method: "POST", path: "/api/session", host: loopback,
			contentType: jsonType, body: loginBody, status: 200},
		{name: "a read from another site is not refused here (CORS keeps its answer from the page)", method: "GET",
			path: "/api/setup", host: loopback, origin: evil, fetchSite: "cross-site", status: 200},
	}
	for _, p := range steps {
		users := countRows(t, a, "users")
		r := p.send(t, h)
		if r.Status != p.status {
			t.Errorf("%s: %d %s, want %d", p.name, r.Status, r.Raw, p.status)
		}
		if r.Status >= 400 && !strings.ContainsAny(r.Raw, "拒绝不正确") {
			t.Errorf("%s: no Chinese message: %s", p.name, r.Raw)
		}
		if r.Status >= 400 && countRows(t, a, "users") != users {
			t.Errorf("%s: refused, yet wrote", p.name)
		}
	}
}

func countRows(t *testing.T, a *App, table string) int {
	t.Helper()
	var n int
	if err := a.db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestJSONOnlyThroughTheBridgeToo: the desktop window's calls carry the
// JSON type the frontend sets, and a body of another type is refused there
// as well; no Host or Origin check stands in the bridge's way.
func TestJSONOnlyThroughTheBridgeToo(t *testing.T) {
	a := newTestApp(t)
	b := &Bridge{api: a.API()}
	if res := b.Call(BridgeRequest{Method: "POST", Path: "/api/setup", Headers: map[string]string{"Content-Type": "text/plain"}, Body: validSetup}); res.Status != 415 {
		t.Errorf("text/plain through the bridge: %d %s", res.Status, res.Body)
	}
	if res := b.Call(BridgeRequest{Method: "POST", Path: "/api/setup", Headers: map[string]string{"Content-Type": jsonType, "Origin": "wails://wails"}, Body: validSetup}); res.Status != 200 {
		t.Errorf("setup through the bridge: %d %s", res.Status, res.Body)
	}
}

func TestHostPolicy(t *testing.T) {
	defer func(h func() (string, error)) { osHostname = h }(osHostname)
	osHostname = func() (string, error) { return "Huicai-Server.corp.example", nil }
	cert := &x509.Certificate{DNSNames: []string{"huicai.sdu.edu.cn", "*.office.example"}}
	cases := []struct {
		name, listen, bound string
		tls                 bool
		extra               []string
		allowed, refused    []string
	}{
		{"loopback", "127.0.0.1:8080", "127.0.0.1:8080", false, nil,
			[]string{"127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080", "[::1]:8080", "localhost.:8080"},
			[]string{"rebind.evil.example:8080", "127.0.0.1", "localhost:80", "127.0.0.2:8080", "huicai-server:8080", "", "[::1]"}},
		{"localhost, any port", "localhost:0", "127.0.0.1:40123", false, nil,
			[]string{"localhost:40123", "127.0.0.1:40123"}, []string{"localhost:0", "localhost:8080"}},
		{"loopback with --host", "127.0.0.1:8080", "127.0.0.1:8080", false, []string{"proxy.internal"},
			[]string{"proxy.internal:8080"}, []string{"other.internal:8080"}},
		{"one LAN address", "192.168.1.20:8443", "192.168.1.20:8443", true, nil,
			[]string{"192.168.1.20:8443", "huicai.sdu.edu.cn:8443", "a.office.example:8443"},
			[]string{"127.0.0.1:8443", "huicai-server:8443", "rebind.evil.example:8443", "a.b.office.example:8443", "office.example:8443", "192.168.1.20"}},
		{"default https port", "192.168.1.20:443", "192.168.1.20:443", true, []string{"huicai"},
			[]string{"192.168.1.20", "huicai", "huicai:443"}, []string{"huicai:8443", "evil"}},
		{"wildcard", "0.0.0.0:8443", "0.0.0.0:8443", true, []string{"HuiCai.Local"},
			[]string{"huicai-server.corp.example:8443", "huicai-server:8443", "localhost:8443", "127.0.0.1:8443", "huicai.local:8443", "huicai.sdu.edu.cn:8443"},
			[]string{"rebind.evil.example:8443", "huicai-server:8080"}},
		{"wildcard without an address", ":8443", "[::]:8443", true, nil,
			[]string{"huicai-server:8443", "[::1]:8443"}, []string{"evil:8443"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newHostPolicy(c.listen, c.bound, c.tls, c.extra, cert)
			for _, h := range c.allowed {
				if !p.allows(h) {
					t.Errorf("%q refused", h)
				}
			}
			for _, h := range c.refused {
				if p.allows(h) {
					t.Errorf("%q allowed", h)
				}
			}
		})
	}
}

func TestHostOption(t *testing.T) {
	var h hostNames
	for _, ok := range []string{"huicai.sdu.edu.cn", "192.168.1.20", "::1", "[fe80::1]"} {
		if err := h.Set(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "  ", "huicai:8443", "https://huicai"} {
		if err := h.Set(bad); err == nil || !strings.Contains(err.Error(), "--host") {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
	if len(h) != 4 {
		t.Errorf("names %v", h)
	}
}
