package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"huicai/internal/clock"
	"huicai/internal/testdb"
)

func newTestApp(t *testing.T) *App {
	t.Helper()
	var logs bytes.Buffer
	a, err := Open(context.Background(), Config{
		DataDir: wineSafeTempDir(t),
		Policy:  testdb.Policy(),
		Log:     slog.New(slog.NewTextHandler(&logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a.Close()
		if t.Failed() {
			t.Log(logs.String())
		}
	})
	return a
}

type answer struct {
	Status int
	Body   map[string]any
	Raw    string
}

func (r answer) errCode() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func (r answer) errField(name string) string {
	e, _ := r.Body["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	s, _ := f[name].(string)
	return s
}

func call(t *testing.T, h http.Handler, method, path, token, body string) answer {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json") // as the frontend sends JSON
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	out := answer{Status: rec.Code, Raw: rec.Body.String()}
	ct := rec.Header().Get("Content-Type")
	if rec.Code == 200 && !strings.HasPrefix(ct, "application/json") {
		return out // a file
	}
	if !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s %s: Content-Type %q, want JSON", method, path, ct)
	}
	var data any
	if err := json.Unmarshal(rec.Body.Bytes(), &data); err != nil {
		t.Fatalf("%s %s: body %q is not JSON", method, path, out.Raw)
	}
	out.Body, _ = data.(map[string]any)
	return out
}

const validSetup = `{"unit_name":"山东大学","uscc":"12370000495570512F","address":"济南市历城区山大南路27号",
	"contact_person":"张三","contact_phone":"0531-88364000","leader_name":"李四","mobile":"13800138000",
	"username":"leader","password":"Leader@2026","password_confirm":"Leader@2026"}`

// setUp runs first-run setup and signs the leader in, returning the token.
func setUp(t *testing.T, h http.Handler) string {
	t.Helper()
	if r := call(t, h, "POST", "/api/setup", "", validSetup); r.Status != 200 {
		t.Fatalf("setup: %d %s", r.Status, r.Raw)
	}
	r := call(t, h, "POST", "/api/session", "", `{"username":"leader","password":"Leader@2026"}`)
	token, _ := r.Body["token"].(string)
	if r.Status != 200 || token == "" {
		t.Fatalf("login: %d %s", r.Status, r.Raw)
	}
	return token
}

func TestSetupAndLoginScenarios(t *testing.T) {
	a := newTestApp(t)
	h := a.API()
	steps := []struct {
		name, method, path, token, body string
		status                          int
		check                           func(t *testing.T, r answer)
	}{
		{name: "fresh install", method: "GET", path: "/api/setup", status: 200,
			check: func(t *testing.T, r answer) {
				if r.Body["done"] != false {
					t.Error("done should be false")
				}
			}},
		{name: "bad credit code", method: "POST", path: "/api/setup",
			body: strings.Replace(validSetup, "512F", "512G", 1), status: 400,
			check: func(t *testing.T, r answer) {
				if r.errField("uscc") != "统一社会信用代码校验位不正确，请核对" {
					t.Errorf("fields: %s", r.Raw)
				}
			}},
		{name: "still not set up", method: "GET", path: "/api/setup", status: 200,
			check: func(t *testing.T, r answer) {
				if r.Body["done"] != false {
					t.Error("refused setup changed state")
				}
			}},
		{name: "malformed JSON", method: "POST", path: "/api/setup", body: `{"unit_name":`, status: 400},
		{name: "unknown field", method: "POST", path: "/api/setup", body: `{"is_admin":true}`, status: 400},
		{name: "oversized body", method: "POST", path: "/api/setup",
			body: `{"unit_name":"` + strings.Repeat("x", maxJSONBody) + `"}`, status: 413},
		{name: "setup", method: "POST", path: "/api/setup", body: validSetup, status: 200},
		{name: "second setup", method: "POST", path: "/api/setup", body: validSetup, status: 409,
			check: func(t *testing.T, r answer) {
				if r.errCode() != "conflict" {
					t.Errorf("code %s", r.errCode())
				}
			}},
		{name: "login with empty fields", method: "POST", path: "/api/session", body: `{"username":"","password":""}`, status: 400,
			check: func(t *testing.T, r answer) {
				if r.errField("username") != "请填写用户名" || r.errField("password") != "请填写密码" {
					t.Errorf("fields: %s", r.Raw)
				}
			}},
		{name: "wrong password", method: "POST", path: "/api/session", body: `{"username":"leader","password":"Leader@2027"}`, status: 401,
			check: func(t *testing.T, r answer) {
				if !strings.Contains(r.Raw, "用户名或密码错误") {
					t.Errorf("body %s", r.Raw)
				}
			}},
		{name: "unknown user", method: "POST", path: "/api/session", body: `{"username":"ghost","password":"Leader@2026"}`, status: 401,
			check: func(t *testing.T, r answer) {
				if !strings.Contains(r.Raw, "用户名或密码错误") {
					t.Errorf("body %s", r.Raw)
				}
			}},
		{name: "no session", method: "GET", path: "/api/session", status: 401,
			check: func(t *testing.T, r answer) {
				if r.errCode() != "unauthenticated" || r.Body["user"] != nil {
					t.Errorf("body %s", r.Raw)
				}
			}},
		{name: "forged token", method: "GET", path: "/api/unit", token: "forged", status: 401,
			check: func(t *testing.T, r answer) {
				if r.errCode() != "session_expired" || strings.Contains(r.Raw, "山东大学") {
					t.Errorf("body %s", r.Raw)
				}
			}},
		{name: "unknown path", method: "GET", path: "/api/nothing-here", status: 404,
			check: func(t *testing.T, r answer) {
				if r.errCode() != "not_found" {
					t.Errorf("body %s", r.Raw)
				}
			}},
	}
	for _, s := range steps {
		r := call(t, h, s.method, s.path, s.token, s.body)
		if r.Status != s.status {
			t.Errorf("%s: status %d, want %d (%s)", s.name, r.Status, s.status, r.Raw)
			continue
		}
		if s.check != nil {
			t.Run(s.name, func(t *testing.T) { s.check(t, r) })
		}
	}
}

func TestSessionLifecycle(t *testing.T) {
	a := newTestApp(t)
	h := a.API()
	token := setUp(t, h)
	r := call(t, h, "GET", "/api/session", token, "")
	user, _ := r.Body["user"].(map[string]any)
	if r.Status != 200 || user["name"] != "李四" || r.Body["role_label"] != "单位负责人" || r.Body["unit_name"] != "山东大学" {
		t.Fatalf("session: %s", r.Raw)
	}
	if strings.Contains(r.Raw, "13800138000") || strings.Contains(r.Raw, "argon2") {
		t.Errorf("session view leaks personal data: %s", r.Raw)
	}
	if r := call(t, h, "GET", "/api/unit", token, ""); r.Status != 200 || r.Body["uscc"] != "12370000495570512F" {
		t.Fatalf("unit: %s", r.Raw)
	}

	later := clock.Now().Add(16 * time.Minute)
	restore := clock.Set(func() time.Time { return later })
	r = call(t, h, "GET", "/api/unit", token, "")
	restore()
	if r.Status != 401 || r.errCode() != "session_expired" || strings.Contains(r.Raw, "山东大学") {
		t.Fatalf("idle session: %d %s", r.Status, r.Raw)
	}

	token = setUp2(t, h)
	if r := call(t, h, "DELETE", "/api/session", token, ""); r.Status != 200 {
		t.Fatalf("logout: %s", r.Raw)
	}
	if r := call(t, h, "GET", "/api/session", token, ""); r.Status != 401 {
		t.Fatalf("token alive after logout: %s", r.Raw)
	}
}

func setUp2(t *testing.T, h http.Handler) string {
	t.Helper()
	r := call(t, h, "POST", "/api/session", "", `{"username":"leader","password":"Leader@2026"}`)
	token, _ := r.Body["token"].(string)
	return token
}

func TestInternalErrorsAreNotShown(t *testing.T) {
	a := newTestApp(t)
	h := a.API()
	a.db.Close()
	r := call(t, h, "GET", "/api/setup", "", "")
	if r.Status != 500 || r.errCode() != "internal" {
		t.Fatalf("got %d %s", r.Status, r.Raw)
	}
	if strings.Contains(r.Raw, "sql") || strings.Contains(r.Raw, "closed") {
		t.Errorf("internal detail shown: %s", r.Raw)
	}
}

func TestBridgeReachesTheSameAPI(t *testing.T) {
	a := newTestApp(t)
	b := &Bridge{api: a.API()}
	res := b.Call(BridgeRequest{Method: "POST", Path: "/api/setup", Headers: map[string]string{"Content-Type": "application/json"}, Body: validSetup})
	if res.Status != 200 {
		t.Fatalf("setup through bridge: %d %s", res.Status, res.Body)
	}
	res = b.Call(BridgeRequest{Method: "POST", Path: "/api/session", Headers: map[string]string{"Content-Type": "application/json"},
		Body: `{"username":"leader","password":"Leader@2026"}`})
	var s struct{ Token string }
	json.Unmarshal([]byte(res.Body), &s)
	res = b.Call(BridgeRequest{Method: "GET", Path: "/api/session", Headers: map[string]string{"Authorization": "Bearer " + s.Token}})
	if res.Status != 200 || !strings.Contains(res.Body, "李四") {
		t.Fatalf("session through bridge: %d %s", res.Status, res.Body)
	}
	if res := b.Call(BridgeRequest{Method: "GET", Path: "/index.html"}); res.Status != 404 {
		t.Errorf("bridge served a non-API path: %d", res.Status)
	}
	var client string
	a.db.QueryRow(`SELECT client FROM audit_log WHERE action = '登录'`).Scan(&client)
	if client != desktopClient {
		t.Errorf("audited client %q, want %q", client, desktopClient)
	}
}

func TestSiteServesFrontendWithSecurityHeaders(t *testing.T) {
	a := newTestApp(t)
	assets := testAssets()
	h := a.Handler(assets)
	for _, path := range []string{"/", "/some/client/route"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		body, _ := io.ReadAll(rec.Body)
		if rec.Code != 200 || !strings.Contains(string(body), "惠才通") {
			t.Errorf("GET %s: %d %s", path, rec.Code, body)
		}
		for _, hd := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
			if rec.Header().Get(hd) == "" {
				t.Errorf("GET %s: missing %s", path, hd)
			}
		}
	}
	r := call(t, h, "GET", "/api/setup", "", "")
	if r.Status != 200 {
		t.Errorf("API through site handler: %d", r.Status)
	}
}
