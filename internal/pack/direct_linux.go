package pack

import (
	"os"
	"syscall"
)

// openDirect opens name again for writes that bypass the system's file
// cache (O_DIRECT); it fails on a file system without them (tmpfs).
func openDirect(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_WRONLY|syscall.O_DIRECT, 0)
}
