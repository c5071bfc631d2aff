//go:build !linux

package files

// syncAll syncs each file and then each folder.
func syncAll(_ string, files []string) error { return syncEach(files) }
