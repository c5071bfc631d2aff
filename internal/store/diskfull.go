package store

import "errors"

// sqliteFull is SQLite's result code for "database or disk is full".
const sqliteFull = 13

// DiskFull reports whether err comes from a full disk: a write the
// operating system refused for want of space, or SQLite's SQLITE_FULL.
func DiskFull(err error) bool {
	if osDiskFull(err) {
		return true
	}
	var coded interface{ Code() int }
	return errors.As(err, &coded) && coded.Code()&0xff == sqliteFull
}
