//go:build !windows

package app

import "context"

// nativeMessageBox shows nothing (and says so): outside Windows the
// program has a console, or a log, and the caller writes the text there.
func nativeMessageBox(title, text string) bool { return false }

// untilQuit blocks while the app runs in the browser, until ctx ends (a
// signal).
func untilQuit(ctx context.Context, text string) { <-ctx.Done() }

// allowForeground does nothing: only Windows restricts who may bring a
// window to the front.
func allowForeground() {}
