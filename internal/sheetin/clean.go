package sheetin

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"
)

// Clean trims the spaces users leave around a cell, full-width and
// non-breaking ones too.
func Clean(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' || r == '\ufeff' })
}

// HalfWidth turns full-width digits, letters and signs (ＡＢＣ１２３) into
// their ASCII forms and drops the spaces inside, as IDs and phones typed
// with a Chinese input method carry them.
func HalfWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '！' && r <= '～':
			b.WriteRune(r - '！' + '!')
		case unicode.IsSpace(r) || r == '\u3000':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// serialDate is a date as Excel stores it: days since 1900, with the time
// of day as a fraction.
var serialDate = regexp.MustCompile(`^[0-9]{1,6}(\.[0-9]+)?$`)

var scientific = regexp.MustCompile(`^[0-9](\.[0-9]+)?[eE][+]?[0-9]+$`)

// Scientific reports a number Excel keeps in scientific notation
// (3.70102E+17): a long number typed into a number cell, whose last digits
// Excel has already dropped.
func Scientific(s string) bool { return scientific.MatchString(s) }

// Date reads a date cell: text as 2006-01-02, 2006/1/2, 2006.1.2 or
// 2006年1月2日, or a date Excel stores as a serial number. It answers
// 2006-01-02, or s unchanged when it is none of those (the caller's check
// then says the date is wrong).
func Date(s string) string {
	if serialDate.MatchString(s) {
		serial, _ := strconv.ParseFloat(s, 64)
		if t, err := excelize.ExcelDateToTime(serial, false); err == nil && serial >= 1 {
			return t.Format("2006-01-02")
		}
	}
	norm := strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "").Replace(HalfWidth(s))
	if t, err := time.Parse("2006-1-2", norm); err == nil {
		return t.Format("2006-01-02")
	}
	return s
}
