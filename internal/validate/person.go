package validate

import (
	"regexp"
	"unicode"
	"unicode/utf8"
)

var mobilePattern = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

var phonePattern = regexp.MustCompile(`^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?)$`)

// IsPhone reports whether s is a mobile or a landline number such as 0531-86123456.
func IsPhone(s string) bool { return phonePattern.MatchString(s) }

var emailPattern = regexp.MustCompile(`^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$`)

// IsEmail reports whether s looks like an e-mail address.
func IsEmail(s string) bool { return len(s) <= 100 && emailPattern.MatchString(s) }

// IsMobile reports whether s is an 11-digit mainland mobile number.
func IsMobile(s string) bool { return mobilePattern.MatchString(s) }

// PasswordMinLength and PasswordMaxLength bound a password's length in characters.
const (
	PasswordMinLength = 8
	PasswordMaxLength = 64
)

// PasswordProblem returns why password is too weak, or "" when it is strong
// enough: at least 8 characters drawn from at least 3 of upper case, lower
// case, digits and symbols.
func PasswordProblem(password string) string {
	n := utf8.RuneCountInString(password)
	if n < PasswordMinLength || n > PasswordMaxLength {
		return "密码长度应为8至64位"
	}
	var upper, lower, digit, other bool
	for _, r := range password {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{upper, lower, digit, other} {
		if b {
			classes++
		}
	}
	if classes < 3 {
		return "密码需包含大写字母、小写字母、数字、符号中的至少三类"
	}
	return ""
}

// Password checks a new password and its confirmation.
func (c *Checker) Password(field, confirmField, password, confirm string) {
	if p := PasswordProblem(password); p != "" {
		c.Add(field, p)
	}
	if password != confirm {
		c.Add(confirmField, "两次输入的密码不一致")
	}
}

// Mobile checks a required mobile number.
func (c *Checker) Mobile(field, value string) {
	switch {
	case value == "":
		c.Add(field, "请填写手机号码")
	case !IsMobile(value):
		c.Add(field, "手机号码应为以1开头的11位数字")
	}
}
