package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"huicai/internal/clock"
)

// fallbackAssets mark the frontend, so that a test sees whether it was served.
var fallbackAssets = fstest.MapFS{
	"index.html":    {Data: []byte(`<!doctype html><div id="app">惠才通前端</div>`)},
	"assets/app.js": {Data: []byte(`console.log("惠才通前端")`)},
}

// browserClient is a browser: a cookie jar, following redirects.
// nearMiss is token with its last character changed.
func nearMiss(token string) string {
	last := "A"
	if strings.HasSuffix(token, last) {
		last = "B"
	}
	return token[:len(token)-1] + last
}

func browserClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second}
}

type page struct {
	status int
	body   string
	final  *url.URL
}

func visit(t *testing.T, c *http.Client, method, u, bearer, body string) page {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return page{res.StatusCode, string(raw), res.Request.URL}
}

// shut reports whether p is the refusal: 401 and nothing but the page
// that says to start the app (or its JSON for the API).
func (p page) shut() bool {
	return p.status == http.StatusUnauthorized && strings.Contains(p.body, "请从惠才通程序打开") && !strings.Contains(p.body, "惠才通前端")
}

// startFallback runs the browser fallback on a fresh data folder, as the
// desktop app does without WebView2; opened receives each URL it opens.
func startFallback(t *testing.T) (opened chan string, dataDir string) {
	t.Helper()
	a := newTestApp(t)
	inst, err := claimInstance(a.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	ui := a.desktopUI(fallbackAssets, inst)
	ui.started = nil
	opened = make(chan string, 8)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- ui.serveInBrowser(ctx, func(u string) error { opened <- u; return nil })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("fallback: %v", err)
		}
		inst.Close()
	})
	return opened, a.dataDir
}

func nextURL(t *testing.T, opened chan string) string {
	t.Helper()
	select {
	case u := <-opened:
		return u
	case <-time.After(time.Minute):
		t.Fatal("the browser was not opened")
		return ""
	}
}

// TestBrowserFallbackLaunchToken: without WebView2 the app serves the UI on
// a loopback port, and only the browser it opened — with the one-time
// launch token — gets in. No token, a wrong, reused or expired token, and
// a valid bearer token without the launch cookie all get 401 and nothing
// but the page that says to start the app. With the cookie, users sign
// in with their own passwords as usual.
func TestBrowserFallbackLaunchToken(t *testing.T) {
	opened, dataDir := startFallback(t)
	first := nextURL(t, opened)
	u, _ := url.Parse(first)
	token := u.Query().Get("launch")
	if u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Path != "/" || len(token) != 43 {
		t.Fatalf("opened %s: want http://127.0.0.1:PORT/?launch=<32 random bytes>", first)
	}
	base := "http://" + u.Host + "/"

	stranger := browserClient()
	for _, p := range []string{"", "index.html", "assets/app.js", "api/setup", "api/session", "#/login",
		"?launch=" + randomToken(), "?launch=" + nearMiss(token), "?launch=", "api/setup?launch=" + token} {
		if got := visit(t, stranger, "GET", base+p, "", ""); !got.shut() {
			t.Errorf("GET /%s without the launch cookie: %d %.80q", p, got.status, got.body)
		}
	}
	if got := visit(t, stranger, "POST", base+"api/setup", "", validSetup); !got.shut() {
		t.Errorf("setup without the launch cookie: %d %s", got.status, got.body)
	}

	// The browser the app opened: the token buys an HttpOnly, SameSite=Strict
	// cookie and leaves the address bar.
	browser := browserClient()
	noFollow := &http.Client{Jar: browser.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(first)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookie := res.Header.Get("Set-Cookie")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" ||
		!strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") || !strings.HasPrefix(cookie, "huicai_launch_"+u.Port()+"=") {
		t.Fatalf("launch: %d, Location %q, Set-Cookie %q", res.StatusCode, res.Header.Get("Location"), cookie)
	}
	if got := visit(t, browser, "GET", base, "", ""); got.status != 200 || !strings.Contains(got.body, "惠才通前端") {
		t.Fatalf("the launched browser: %d %q", got.status, got.body)
	}
	if got := visit(t, browser, "GET", base+"assets/app.js", "", ""); got.status != 200 {
		t.Errorf("asset: %d", got.status)
	}
	if got := visit(t, stranger, "GET", first, "", ""); !got.shut() {
		t.Errorf("the spent token again: %d %.80q", got.status, got.body)
	}

	// The cookie signs no one in: the API still wants a session.
	if got := visit(t, browser, "GET", base+"api/session", "", ""); got.status != 401 || strings.Contains(got.body, "请从惠才通程序打开") {
		t.Errorf("session without signing in: %d %s", got.status, got.body)
	}
	if got := visit(t, browser, "POST", base+"api/setup", "", validSetup); got.status != 200 {
		t.Fatalf("setup (no setup token, as in the window): %d %s", got.status, got.body)
	}
	login := visit(t, browser, "POST", base+"api/session", "", `{"username":"leader","password":"Leader@2026"}`)
	var s struct{ Token string }
	if json.Unmarshal([]byte(login.body), &s); login.status != 200 || s.Token == "" {
		t.Fatalf("login: %d %s", login.status, login.body)
	}
	if got := visit(t, browser, "GET", base+"api/session", s.Token, ""); got.status != 200 || !strings.Contains(got.body, "leader") {
		t.Errorf("the signed-in leader: %d %s", got.status, got.body)
	}
	if got := visit(t, stranger, "GET", base+"api/session", s.Token, ""); !got.shut() {
		t.Errorf("the leader's bearer token without the launch cookie: %d %s", got.status, got.body)
	}

	// A second start (a knock) opens the browser again with a fresh token;
	// unused for longer than launchTTL, it is void.
	if reply, err := knockOnce(dataDir); err != nil || reply != knockBrowser {
		t.Fatalf("knock: %q %v", reply, err)
	}
	late := nextURL(t, opened)
	if late == first {
		t.Fatal("the same token twice")
	}
	later := clock.Now().Add(launchTTL + time.Second) // the test clock may be shifted (HUICAI_TEST_NOW)
	restore := clock.Set(func() time.Time { return later })
	got := visit(t, browserClient(), "GET", late, "", "")
	restore()
	if !got.shut() {
		t.Errorf("an expired token: %d %.80q", got.status, got.body)
	}
	if got := visit(t, browserClient(), "GET", late, "", ""); !got.shut() {
		t.Errorf("an expired token, later: %d %.80q", got.status, got.body)
	}
	knockOnce(dataDir)
	if got := visit(t, browserClient(), "GET", nextURL(t, opened), "", ""); got.status != 200 || !strings.Contains(got.body, "惠才通前端") || got.final.RawQuery != "" {
		t.Errorf("a fresh token in time: %d %q %s", got.status, got.body, got.final)
	}
}
