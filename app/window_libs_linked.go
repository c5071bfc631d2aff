//go:build !(linux && amd64 && lazygtk)

package app

// loadWindowLibraries has nothing to load: the window's libraries are
// linked (Linux builds without lazygtk) or opened by Wails (WebView2).
func loadWindowLibraries() error { return nil }
