//go:build linux && amd64 && lazygtk

// Package gtkstub loads GTK and WebKit only when the desktop window opens.
//
// On Linux, Wails' window calls GTK and WebKit. Linked as usual, every start
// of the program loads and relocates them and the hundred libraries they
// pull in, "huicai serve" and "huicai verify" too: about 55 ms and 50 MB of
// the process's memory (a build without the window idled at 31 MB against
// 80). The Linux release build (scripts/build.sh: build tag lazygtk, and
// build/pkg-config-cflags-only so that they are compiled against but not
// linked) defines each function the window calls as a stub jumping through
// a table (stubs_linux_amd64.c, written by scripts/gtk-stubs.sh); Load opens
// the libraries and fills the table. Windows opens WebView2 only for the
// window already.
//
// The stubs are hidden from the libraries, which bind to their own
// functions; a stub called before Load aborts with a message, never jumps
// to a random address. After upgrading Wails, a release build that stops
// with "undefined reference" to a GTK function needs scripts/gtk-stubs.sh.
package gtkstub

// #include "gtkstub.h"
import "C"

import (
	"errors"
	"sync"
)

// Load opens GTK and WebKit for the window, once; an error says what is
// missing (WebKitGTK not installed, say), and the window cannot open.
var Load = sync.OnceValue(func() error {
	if failed := C.huicai_gtk_load(); failed != nil {
		return errors.New("gtkstub: " + C.GoString(failed))
	}
	return nil
})
