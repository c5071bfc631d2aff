package app

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/pkg/browser"
)

// messageBox shows a notice to the person at the PC and waits until it is
// closed (nativeMessageBox; tests that start the desktop app in a child
// process print it instead).
var messageBox = func(title, text string) { nativeMessageBox(title, text) }

// runningInBrowser is the message box that stands for the window while the
// app runs in the browser: closing it quits.
const runningInBrowser = "惠才通正在默认浏览器中运行。\n\n" +
	"使用完毕后点击“确定”退出惠才通（浏览器中的页面随之停止工作）。" +
	"如果不小心关闭了浏览器页面，再次启动惠才通即可重新打开。"

// runInBrowser is the desktop app without its window: it says why (check)
// and how the unit's IT installs WebView2 offline, then serves the UI to
// the default browser until the person quits.
func (ui desktopUI) runInBrowser(check webView2Check) error {
	ui.log.Warn("desktop: no usable WebView2 runtime, opening the default browser",
		"webview2", check.State.String(), "version", check.Version, "err", check.Err)
	messageBox("惠才通", check.message())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { untilQuit(ctx, runningInBrowser); stop() }()
	return ui.serveInBrowser(ctx, browser.OpenURL)
}

// serveInBrowser serves the site — the handler huicai serve uses — on a
// free loopback port, behind a launchGate, and opens it with open at a URL
// with a one-time launch token; a second start of the app opens it again
// with a fresh token. Until ctx ends.
func (ui desktopUI) serveInBrowser(ctx context.Context, open func(url string) error) error {
	gate := newLaunchGate(func(r *http.Request) {
		ui.log.Warn("desktop: refused a wrong, spent or expired launch token", "client", clientAddress(r))
	})
	var base string
	launch := func() string {
		if err := open(base + "?launch=" + gate.issue()); err != nil {
			ui.log.Error("desktop: could not open the default browser", "err", err)
		}
		return knockBrowser
	}
	opt := ServeOptions{Listen: "127.0.0.1:0", DataDir: ui.dataDir, Out: io.Discard, Ready: func(addr string) {
		gate.bind(addr)
		base = "http://" + addr + "/"
		ui.inst.onKnock(launch)
		launch()
	}}
	err := serveSite(ctx, secureHeaders(gate.wrap(site(ui.api, ui.assets))), opt, ui.log, ui.started)
	ui.inst.answering(knockWait)
	return err
}
