package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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

// RunDesktop opens the desktop window and blocks until it closes. A second
// instance on the same data folder focuses the first window instead.
func (a *App) RunDesktop(assets fs.FS, dataDir string) error {
	return runWindow(assets, dataDir, a.API(), a.AutoBackup, a.log)
}

// runWindow shows the frontend in a window whose API calls go to api;
// started runs in the background once the window is up.
func runWindow(assets fs.FS, dataDir string, api http.Handler, started func(context.Context), log *slog.Logger) error {
	bridge := &Bridge{api: api}
	lockID := sha256.Sum256([]byte(dataDir))
	return wails.Run(&options.App{
		Title:     "惠才通",
		Width:     1280,
		Height:    820,
		MinWidth:  1024,
		MinHeight: 680,
		AssetServer: &assetserver.Options{
			Assets: assets,
		},
		Bind: []any{bridge},
		OnStartup: func(ctx context.Context) {
			bridge.ctx = ctx
			if started != nil {
				go started(ctx)
			}
			log.Info("desktop: window started", "data", dataDir)
		},
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId: "huicai-" + hex.EncodeToString(lockID[:8]),
			OnSecondInstanceLaunch: func(options.SecondInstanceData) {
				if bridge.ctx != nil {
					runtime.WindowUnminimise(bridge.ctx)
					runtime.WindowShow(bridge.ctx)
				}
			},
		},
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
		Linux:       &linux.Options{ProgramName: "huicai"},
		Windows:     &windows.Options{},
	})
}
