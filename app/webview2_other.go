//go:build !windows

package app

// webView2 is nil: the window here is the system's WebKit, not WebView2.
var webView2 webView2Runtime
