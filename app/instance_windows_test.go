package app

import "testing"

// TestSingleInstanceOnWindows runs the single-instance and browser-fallback
// process tests in the Windows lane (scripts/windows-lane.sh runs the Test
// functions of *_windows_test.go files under Wine): a second start on the
// same data folder reaches the first process through its lock and knock,
// never a second process on one database.
func TestSingleInstanceOnWindows(t *testing.T) {
	t.Run("a second start opens the browser again", TestSecondInstanceOpensTheBrowserAgain)
	t.Run("serve's folder is refused", TestSecondInstanceRefusedWhileServeRuns)
	t.Run("a knock needs the secret", TestKnockNeedsTheSecret)
	t.Run("the launch token", TestBrowserFallbackLaunchToken)
}
