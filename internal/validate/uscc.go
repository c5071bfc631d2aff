package validate

import "strings"

// usccAlphabet is GB 32100's character set: digits and upper-case letters
// without I, O, Z, S and V.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeUSCC trims spaces and upper-cases a credit code as users type it.
func NormalizeUSCC(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// USCCProblem returns why code is not a valid 统一社会信用代码, or "" when it is.
// code should already be normalized.
func USCCProblem(code string) string {
	if len(code) != 18 {
		return "统一社会信用代码应为18位"
	}
	sum := 0
	for i := 0; i < 18; i++ {
		v := strings.IndexByte(usccAlphabet, code[i])
		if v < 0 {
			return "统一社会信用代码只能包含数字和除 I、O、Z、S、V 以外的大写字母"
		}
		if i < 17 {
			sum += v * usccWeights[i]
		}
	}
	check := (31 - sum%31) % 31
	if usccAlphabet[check] != code[17] {
		return "统一社会信用代码校验位不正确，请核对"
	}
	return ""
}
