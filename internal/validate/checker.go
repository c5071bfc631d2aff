// Package validate holds the input rules shared by every area: a collector of
// per-field errors and checks for credit codes, mobiles and passwords.
package validate

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"huicai/internal/apperr"
	"huicai/internal/clock"
)

// Checker collects the first error of each field.
type Checker struct {
	fields map[string]string
}

// Add records msg for field unless the field already has an error.
func (c *Checker) Add(field, msg string) {
	if c.fields == nil {
		c.fields = map[string]string{}
	}
	if _, ok := c.fields[field]; !ok {
		c.fields[field] = msg
	}
}

// Has reports whether field already has an error.
func (c *Checker) Has(field string) bool {
	_, ok := c.fields[field]
	return ok
}

// Check records msg for field when ok is false.
func (c *Checker) Check(field string, ok bool, msg string) {
	if !ok {
		c.Add(field, msg)
	}
}

// Text checks a required text of at most max characters; label names the
// field in the message.
func (c *Checker) Text(field, value, label string, max int) {
	switch {
	case strings.TrimSpace(value) == "":
		c.Add(field, "请填写"+label)
	case utf8.RuneCountInString(value) > max:
		c.Add(field, fmt.Sprintf("%s不能超过%d个字", label, max))
	case hasControl(value):
		c.Add(field, label+"含有不可见的控制字符")
	case hasHidden(value):
		c.Add(field, label+"含有无法识别、不可见或改变文字方向的字符，请删除后重新输入")
	}
}

// OptionalText checks an optional text of at most max characters.
func (c *Checker) OptionalText(field, value, label string, max int) {
	if strings.TrimSpace(value) != "" {
		c.Text(field, value, label, max)
	}
}

// Choice refuses a value that is not one of choices; an empty value passes
// (Text requires it where it must be given).
func (c *Checker) Choice(field, value, label string, choices []string) {
	if value != "" && !slices.Contains(choices, value) {
		c.Add(field, label+"不在可选范围内，请从列表中选择")
	}
}

// Err returns the collected errors as one validation error, or nil.
func (c *Checker) Err() error {
	if len(c.fields) == 0 {
		return nil
	}
	return apperr.Invalid(c.fields)
}

// hasHidden reports invalid UTF-8 (or the U+FFFD it was replaced with),
// and format characters: bidi overrides such as U+202E that make
// "invoice\u202efdp.pdf" display as "invoicepdf.exe", zero-width spaces
// and joiners, byte-order marks.
func hasHidden(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if r == utf8.RuneError || unicode.Is(unicode.Cf, r) || (r >= 0x80 && r < 0xa0) {
			return true
		}
	}
	return false
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' || r == 0x7f {
			return true
		}
	}
	return false
}

// China is the time zone messages show times in: the office's
// (clock.China), whatever zone the server runs in.
var China = clock.China

// ChinaTime formats t for a message: 2026-11-29 17:16.
func ChinaTime(t time.Time) string { return t.In(China).Format("2006-01-02 15:04") }
