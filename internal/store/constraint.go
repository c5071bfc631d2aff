package store

import "errors"

// SQLite's extended result codes for the constraints the application relies
// on (the driver reports extended codes).
const (
	codeConstraintForeignKey = 787
	codeConstraintPrimaryKey = 1555
	codeConstraintUnique     = 2067
)

// code is the SQLite result code behind err, or 0 when err is not the
// driver's.
func code(err error) int {
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		return coded.Code()
	}
	return 0
}

// IsUnique reports whether err is a write refused by a UNIQUE index or a
// PRIMARY KEY: the row would repeat one already stored.
func IsUnique(err error) bool {
	c := code(err)
	return c == codeConstraintUnique || c == codeConstraintPrimaryKey
}

// IsForeignKey reports whether err is a write refused by a FOREIGN KEY: a
// row still referred to, or a reference to a row that does not exist.
func IsForeignKey(err error) bool { return code(err) == codeConstraintForeignKey }
