package app

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fakeWebView2 is a PC as the detection sees it.
type fakeWebView2 struct {
	version string
	err     error
}

func (f fakeWebView2) Version() (string, error) { return f.version, f.err }

// Compare orders dotted versions field by field, as the loader does.
func (f fakeWebView2) Compare(v1, v2 string) (int, error) {
	a, b := strings.Split(v1, "."), strings.Split(v2, ".")
	if len(a) != 4 || len(b) != 4 {
		return 0, errors.New("not a version: " + v1)
	}
	for i := range a {
		x, _ := strconv.Atoi(a[i])
		y, _ := strconv.Atoi(b[i])
		if x != y {
			if x < y {
				return -1, nil
			}
			return 1, nil
		}
	}
	return 0, nil
}

// TestWebView2Decision: the window opens only on a runtime Wails accepts;
// missing, too old or undetectable runtimes open the browser, with a
// message that says why and how IT installs WebView2 offline.
func TestWebView2Decision(t *testing.T) {
	cases := []struct {
		name  string
		rt    webView2Runtime
		state webView2State
		says  []string
	}{
		{"no WebView2 needed (Linux)", nil, webView2Found, nil},
		{"current runtime", fakeWebView2{version: "120.0.2210.91"}, webView2Found, nil},
		{"exactly the minimum", fakeWebView2{version: minWebView2}, webView2Found, nil},
		{"missing", fakeWebView2{}, webView2Missing, []string{"本机缺少 Microsoft Edge WebView2 运行时"}},
		{"too old", fakeWebView2{version: "94.0.992.30"}, webView2TooOld, []string{"版本过旧", "94.0.992.30", minWebView2}},
		{"registry unreadable", fakeWebView2{err: errors.New("access denied")}, webView2Unknown, []string{"无法确认", "access denied"}},
		{"garbled version", fakeWebView2{version: "garbled"}, webView2Unknown, []string{"无法确认", "garbled"}},
	}
	for _, c := range cases {
		got := checkWebView2(c.rt)
		if got.State != c.state || got.usable() != (c.state == webView2Found) {
			t.Errorf("%s: %v (usable %v), want %v", c.name, got.State, got.usable(), c.state)
		}
		if got.usable() {
			continue
		}
		msg := got.message()
		for _, want := range append(c.says, "默认浏览器中打开", "单位信息技术人员离线安装", "常青版独立安装程序", "MicrosoftEdgeWebView2RuntimeInstallerX64.exe") {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: the message lacks %q:\n%s", c.name, want, msg)
			}
		}
	}
}

// TestWindowLibrariesMissing: on Linux without WebKitGTK (the release
// build loads it only as the window opens) the browser opens instead, with
// a message that says what failed and what IT installs.
func TestWindowLibrariesMissing(t *testing.T) {
	failed := errors.New("gtkstub: libwebkit2gtk-4.1.so.0: cannot open shared object file: No such file or directory")
	c := webView2Check{State: windowLibrariesMissing, Err: failed}
	if c.usable() {
		t.Fatal("the window would open without its libraries")
	}
	msg := c.message()
	for _, want := range []string{"WebKitGTK", failed.Error(), "默认浏览器中打开", "功能和数据与窗口中相同", "libwebkit2gtk-4.1-0"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "WebView2") {
		t.Errorf("the message speaks of WebView2:\n%s", msg)
	}
}

// TestMinWebView2IsWails: the minimum checked is the one the Wails in
// go.mod enforces; otherwise Wails would still try to download its
// bootstrapper on runtimes between the two.
func TestMinWebView2IsWails(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command to find the Wails module")
	}
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/wailsapp/wails/v2").Output()
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "internal", "wv2installer", "wv2installer.go"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `MinimumRuntimeVersion string = "` + minWebView2 + `"`; !strings.Contains(string(src), want) {
		t.Errorf("Wails' wv2installer.go does not say %s", want)
	}
}
