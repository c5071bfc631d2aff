package setup

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"strings"

	"huicai/internal/apperr"
)

// tokenAlphabet leaves out letters and digits that are easily mistaken
// for each other (0/O, 1/I/L, 2/Z, 5/S, 8/B).
const tokenAlphabet = "34679ACDEFGHJKMNPQRTUVWXY"

// NewToken makes a one-time setup token — 15 characters in groups of
// five, about 70 bits — for a LAN server to print on its console: only
// someone who can see that console can run first-run setup.
func NewToken() string {
	return group(randomFrom(tokenAlphabet, 15), 5)
}

func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[randIndex(len(alphabet))]
	}
	return string(b)
}

// randIndex is a uniform random number below n (n < 256).
func randIndex(n int) int {
	limit := 256 - 256%n
	var c [1]byte
	for {
		rand.Read(c[:])
		if int(c[0]) < limit {
			return int(c[0]) % n
		}
	}
}

func group(s string, size int) string {
	var parts []string
	for len(s) > size {
		parts = append(parts, s[:size])
		s = s[size:]
	}
	return strings.Join(append(parts, s), "-")
}

var (
	errTokenMissing = &apperr.Error{Code: apperr.CodeForbidden, Message: "请填写初始设置口令：它显示在运行惠才通服务器（huicai serve）的窗口中",
		Fields: map[string]string{"setup_token": "请填写服务器窗口中显示的初始设置口令"}}
	errTokenWrong = &apperr.Error{Code: apperr.CodeForbidden, Message: "初始设置口令不正确，请核对服务器窗口中显示的口令",
		Fields: map[string]string{"setup_token": "初始设置口令不正确"}}
)

// CheckToken refuses a missing or wrong setup token when want is set (a
// LAN server); the desktop window, where want is "", needs none. Case,
// spaces and dashes do not matter, and the comparison takes the same time
// whatever the token given.
func CheckToken(want, got string) error {
	if want == "" {
		return nil
	}
	got = normalizeToken(got)
	if got == "" {
		return errTokenMissing
	}
	w, g := sha256.Sum256([]byte(normalizeToken(want))), sha256.Sum256([]byte(got))
	if subtle.ConstantTimeCompare(w[:], g[:]) != 1 {
		return errTokenWrong
	}
	return nil
}

func normalizeToken(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' || r == '\t' {
			return -1
		}
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}
