package store

import (
	"errors"
	"syscall"
)

// Windows reports a full disk as ERROR_DISK_FULL or ERROR_HANDLE_DISK_FULL.
const (
	errorHandleDiskFull syscall.Errno = 39
	errorDiskFull       syscall.Errno = 112
)

func osDiskFull(err error) bool {
	return errors.Is(err, errorDiskFull) || errors.Is(err, errorHandleDiskFull)
}
