package files

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// syncAll puts files under dir on disk with one syncfs of dir's file
// system, which writes back everything there (the files, their names and
// whatever else is waiting), rather than a sync for each file; where
// there is no syncfs, each file is synced.
func syncAll(dir string, files []string) error {
	d, err := os.Open(dir)
	if err != nil {
		return syncEach(files)
	}
	defer d.Close()
	if err := unix.Syncfs(int(d.Fd())); errors.Is(err, unix.ENOSYS) {
		return syncEach(files)
	} else if err != nil {
		return err
	}
	return nil
}
