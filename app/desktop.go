package app

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// desktopUI is what the desktop app shows: the frontend, and the API its
// calls go to, for the data folder this process holds (inst).
type desktopUI struct {
	assets  fs.FS
	dataDir string
	api     http.Handler
	// started runs in the background once the UI is up.
	started func(context.Context)
	log     *slog.Logger
	inst    *instance
}

// desktopUI is the desktop app on a; it holds the data folder through inst.
func (a *App) desktopUI(assets fs.FS, inst *instance) desktopUI {
	return desktopUI{assets: assets, dataDir: a.dataDir, api: a.API(), started: a.AutoBackup, log: a.log, inst: inst}
}

// show presents the UI and blocks until it closes: in the window, or,
// where the window cannot open (no usable WebView2 runtime; on Linux, no
// WebKitGTK), in the default browser.
func (ui desktopUI) show() error {
	check := checkWebView2(webView2)
	if check.usable() {
		if err := loadWindowLibraries(); err != nil {
			check = webView2Check{State: windowLibrariesMissing, Err: err}
		}
	}
	if !check.usable() {
		return ui.runInBrowser(check)
	}
	return ui.runWindow()
}

// runWindow shows the frontend in a window whose API calls go to ui.api.
// A second start on the same data folder brings the window forward
// (instance.go).
func (ui desktopUI) runWindow() error {
	bridge := &Bridge{api: ui.api}
	return wails.Run(&options.App{
		Title:     "惠才通",
		Width:     1280,
		Height:    820,
		MinWidth:  1024,
		MinHeight: 680,
		// The splash's colour (frontend/index.html), so the window is never a
		// blank white or grey while the page loads.
		BackgroundColour: &options.RGBA{R: 31, G: 78, B: 140, A: 255},
		AssetServer: &assetserver.Options{
			Assets: ui.assets,
		},
		Bind: []any{bridge},
		OnStartup: func(ctx context.Context) {
			bridge.ctx = ctx
			ui.inst.onKnock(func() string {
				runtime.WindowUnminimise(ctx)
				runtime.WindowShow(ctx)
				return knockWindow
			})
			if ui.started != nil {
				go ui.started(ctx)
			}
			ui.log.Info("desktop: window started", "data", ui.dataDir)
		},
		OnShutdown:  func(context.Context) { ui.inst.answering(knockWait) },
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
		Linux:       &linux.Options{ProgramName: "huicai"},
		Windows:     &windows.Options{},
	})
}
