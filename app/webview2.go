package app

import "fmt"

// The desktop window on Windows is Microsoft Edge WebView2. Offline Windows
// 10 PCs often lack its runtime, or have one too old; Wails would then try to
// download Microsoft's bootstrapper, which fails offline. So the desktop
// start checks first, with the same detection Wails uses, and opens the same
// UI in the default browser instead (browser_fallback.go).

// minWebView2 is the oldest runtime the window opens on: the minimum Wails
// v2.9.2 itself enforces (wv2installer.MinimumRuntimeVersion, in an internal
// package; webview2_test.go checks they agree).
const minWebView2 = "94.0.992.31"

// webView2Runtime finds the installed WebView2 runtime
// (webview2_windows.go; nil on platforms whose window needs none).
type webView2Runtime interface {
	// Version is the installed runtime's version, "" when none is installed.
	Version() (string, error)
	// Compare orders two runtime versions: -1, 0 or 1.
	Compare(v1, v2 string) (int, error)
}

// webView2State is what start-up found.
type webView2State int

const (
	webView2Found webView2State = iota
	webView2Missing
	webView2TooOld
	webView2Unknown // detection failed
	// windowLibrariesMissing is Linux without WebKitGTK: the release build
	// loads it only when the window opens (internal/gtkstub).
	windowLibrariesMissing
)

func (s webView2State) String() string {
	return [...]string{"found", "missing", "too old", "unknown", "window libraries missing"}[s]
}

// webView2Check is the start-up decision: open the window, or the browser.
type webView2Check struct {
	State   webView2State
	Version string
	Err     error
}

// checkWebView2 decides whether the window can open. A nil runtime is a
// platform whose window needs no WebView2 (Linux uses WebKitGTK, loaded as
// the window opens: loadWindowLibraries). When detection fails the window
// would fail as well (Wails runs the same detection), so the browser is
// used then too.
func checkWebView2(rt webView2Runtime) webView2Check {
	if rt == nil {
		return webView2Check{State: webView2Found}
	}
	v, err := rt.Version()
	if err != nil {
		return webView2Check{State: webView2Unknown, Err: err}
	}
	if v == "" {
		return webView2Check{State: webView2Missing}
	}
	cmp, err := rt.Compare(v, minWebView2)
	switch {
	case err != nil:
		return webView2Check{State: webView2Unknown, Version: v, Err: err}
	case cmp < 0:
		return webView2Check{State: webView2TooOld, Version: v}
	}
	return webView2Check{State: webView2Found, Version: v}
}

// usable reports whether the window can open.
func (c webView2Check) usable() bool { return c.State == webView2Found }

// message tells the person at the PC, and the unit's IT, what happens and
// how to install the runtime offline.
func (c webView2Check) message() string {
	var why string
	switch c.State {
	case webView2TooOld:
		why = fmt.Sprintf("本机的 Microsoft Edge WebView2 运行时版本过旧（%s，惠才通需要 %s 或更新版本）", c.Version, minWebView2)
	case webView2Unknown:
		why = fmt.Sprintf("无法确认本机的 Microsoft Edge WebView2 运行时是否可用（%v）", c.Err)
	case windowLibrariesMissing:
		return fmt.Sprintf("本机缺少惠才通窗口所需的 WebKitGTK（%v），惠才通将在默认浏览器中打开，功能和数据与窗口中相同。\n\n"+
			"请单位信息技术人员安装 libwebkit2gtk-4.1-0（如 Debian、Ubuntu：apt install libwebkit2gtk-4.1-0），"+
			"安装后重新启动惠才通，即可在窗口中使用。", c.Err)
	default:
		why = "本机缺少 Microsoft Edge WebView2 运行时"
	}
	return why + "，惠才通将在默认浏览器中打开，功能和数据与窗口中相同。\n\n" +
		"请单位信息技术人员离线安装 WebView2：在能上网的电脑上从微软 WebView2 下载页面" +
		"（https://developer.microsoft.com/microsoft-edge/webview2/）下载“常青版独立安装程序”" +
		"（Evergreen Standalone Installer，64 位为 MicrosoftEdgeWebView2RuntimeInstallerX64.exe），" +
		"拷贝到本机运行，无需联网。安装后重新启动惠才通，即可在窗口中使用。"
}
