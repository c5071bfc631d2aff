//go:build linux && amd64 && lazygtk

package app

import "huicai/internal/gtkstub"

// loadWindowLibraries loads GTK and WebKit, which the Linux release build
// leaves unloaded until the window opens (internal/gtkstub).
func loadWindowLibraries() error { return gtkstub.Load() }
