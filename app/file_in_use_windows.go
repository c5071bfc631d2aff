//go:build windows

package app

import (
	"errors"

	"golang.org/x/sys/windows"
)

// inUseByAnother reports whether another program holds path open in a way
// that stops it being replaced or deleted: Excel and WPS open a workbook
// without sharing delete (or lock ranges of it). It asks for delete access
// while sharing everything, so only another program's handle can refuse.
func inUseByAnother(path string) bool {
	name, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return false
	}
	share := uint32(windows.FILE_SHARE_READ | windows.FILE_SHARE_WRITE | windows.FILE_SHARE_DELETE)
	h, err := windows.CreateFile(name, windows.DELETE, share, nil, windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		return errors.Is(err, windows.ERROR_SHARING_VIOLATION) || errors.Is(err, windows.ERROR_LOCK_VIOLATION)
	}
	windows.CloseHandle(h)
	return false
}
