//go:build !windows

package app

// inUseByAnother is always false here: other systems have no mandatory
// share modes, so an open file never stops a save.
func inUseByAnother(string) bool { return false }
