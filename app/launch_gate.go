package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"huicai/internal/apperr"
	"huicai/internal/clock"
)

// launchTTL is how long a launch token waits for its browser.
const launchTTL = 2 * time.Minute

// launchGate keeps the desktop app's loopback server (the browser fallback)
// to the browser the app opened: other users and programs on the PC reach
// 127.0.0.1 too. The app opens the browser at a URL with a one-time launch
// token (32 random bytes, compared in constant time, spent on first use,
// void after launchTTL); the request that brings it gets an HttpOnly,
// SameSite=Strict cookie holding this run's secret, and only requests with
// that cookie reach the site. The cookie signs no one in: users then sign
// in with their own passwords as usual. Everything else gets 401 and a
// page that says to start the app.
type launchGate struct {
	// cookie names the cookie after the server's port, since browsers
	// share cookies between the ports of one host.
	cookie string
	// secret is this run's cookie value.
	secret    string
	now       func() time.Time
	onRefused func(r *http.Request) // logs a wrong, spent or expired token

	mu      sync.Mutex
	pending []launchToken
}

type launchToken struct {
	value   string
	expires time.Time
}

// newLaunchGate makes a gate; onRefused hears of wrong, spent and expired
// tokens.
func newLaunchGate(onRefused func(r *http.Request)) *launchGate {
	return &launchGate{secret: randomToken(), now: clock.Now, onRefused: onRefused}
}

// bind names the cookie after the address the server listens on; it must
// run before the first request.
func (g *launchGate) bind(addr string) {
	_, port, _ := net.SplitHostPort(addr)
	g.cookie = "huicai_launch_" + port
}

// randomToken is 32 random bytes, URL-safe.
func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// issue makes a launch token for one opening of the browser.
func (g *launchGate) issue() string {
	t := launchToken{value: randomToken(), expires: g.now().Add(launchTTL)}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.pending = append(g.pending, t)
	return t.value
}

// redeem spends token if it is pending and unexpired, forgetting it and
// every expired one.
func (g *launchGate) redeem(token string) bool {
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	found := false
	kept := g.pending[:0]
	for _, p := range g.pending {
		match := subtle.ConstantTimeCompare([]byte(p.value), []byte(token)) == 1
		live := now.Before(p.expires)
		found = found || match && live
		if live && !match {
			kept = append(kept, p)
		}
	}
	g.pending = kept
	return found
}

// admitted reports whether r carries this run's cookie.
func (g *launchGate) admitted(r *http.Request) bool {
	c, err := r.Cookie(g.cookie)
	return err == nil && subtle.ConstantTimeCompare([]byte(c.Value), []byte(g.secret)) == 1
}

// wrap lets through to next only the browser that brought a launch token.
func (g *launchGate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token := r.URL.Query().Get("launch"); token != "" && r.Method == http.MethodGet && r.URL.Path == "/" {
			if g.redeem(token) {
				http.SetCookie(w, &http.Cookie{Name: g.cookie, Value: g.secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
				http.Redirect(w, r, "/", http.StatusSeeOther) // the spent token leaves the address bar
				return
			}
			g.onRefused(r)
		}
		if g.admitted(r) {
			next.ServeHTTP(w, r)
			return
		}
		g.shut(w, r)
	})
}

var errNotLaunched = apperr.New(apperr.CodeUnauthenticated, "请从惠才通程序打开：此地址只对惠才通为本机打开的浏览器开放")

// notLaunchedPage is all a browser without the cookie sees.
const notLaunchedPage = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>惠才通</title></head>
<body style="font-family:sans-serif;max-width:36em;margin:4em auto;line-height:1.8">
<h1 style="font-size:1.4em">请从惠才通程序打开</h1>
<p>此地址只对惠才通为本机打开的浏览器开放，启动链接只能使用一次。请关闭此页，再次启动惠才通（桌面或开始菜单中的图标），它会在浏览器中重新打开。</p>
</body></html>
`

// shut answers 401: the API with the error as JSON, anything else with
// the page that says to start the app.
func (g *launchGate) shut(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, http.StatusUnauthorized, errorBody{errNotLaunched})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write([]byte(notLaunchedPage)) // a client that went away needs no answer
}
