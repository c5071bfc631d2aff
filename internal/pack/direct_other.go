//go:build !linux

package pack

import (
	"errors"
	"os"
)

// openDirect is not done here: every write goes through the system's
// file cache.
func openDirect(string) (*os.File, error) { return nil, errors.ErrUnsupported }
