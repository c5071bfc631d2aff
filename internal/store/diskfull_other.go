//go:build !windows

package store

import (
	"errors"
	"syscall"
)

func osDiskFull(err error) bool { return errors.Is(err, syscall.ENOSPC) }
