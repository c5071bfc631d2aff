//go:build windows

package app

import "github.com/wailsapp/go-webview2/webviewloader"

// webView2 is the installed runtime, found as Wails finds it.
var webView2 webView2Runtime = installedWebView2{}

// installedWebView2 asks go-webview2's loader, which Wails itself uses.
type installedWebView2 struct{}

// Version reads the installed runtime's version from the registry ("" if none).
func (installedWebView2) Version() (string, error) {
	return webviewloader.GetAvailableCoreWebView2BrowserVersionString("")
}

// Compare orders two runtime versions.
func (installedWebView2) Compare(v1, v2 string) (int, error) {
	return webviewloader.CompareBrowserVersions(v1, v2)
}
