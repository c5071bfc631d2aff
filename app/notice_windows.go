//go:build windows

package app

import (
	"context"

	"golang.org/x/sys/windows"
)

// nativeMessageBox shows text in a Windows message box and waits until it
// is closed: a Windows program has no console, and before (or without) the
// window there is nothing else to show it in. It reports whether a person
// closed it; false when no box could be shown (no desktop, as under Wine
// without a display).
func nativeMessageBox(title, text string) bool {
	const idOK = 1
	r, err := windows.MessageBox(0, windows.StringToUTF16Ptr(text), windows.StringToUTF16Ptr(title),
		windows.MB_OK|windows.MB_ICONINFORMATION|windows.MB_SETFOREGROUND)
	return err == nil && r == idOK
}

// untilQuit blocks while the app runs in the browser: until the person
// closes the message box that says so, or ctx ends (also when the box
// cannot be shown).
func untilQuit(ctx context.Context, text string) {
	closed := make(chan struct{})
	go func() {
		if nativeMessageBox("惠才通", text) {
			close(closed)
		}
	}()
	select {
	case <-closed:
	case <-ctx.Done():
	}
}

var allowSetForegroundWindow = windows.NewLazySystemDLL("user32.dll").NewProc("AllowSetForegroundWindow")

// allowForeground lets another process (the one holding the data folder)
// bring its window to the front, which Windows allows only to the process
// the user just started.
func allowForeground() {
	const asfwAny = ^uintptr(0) // ASFW_ANY
	_, _, _ = allowSetForegroundWindow.Call(asfwAny)
}
