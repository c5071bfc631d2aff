package pack

import (
	"regexp"
	"time"
	"unicode"
	"unicode/utf8"
)

// A receipt is signed by the province, but a signature proves only who
// wrote it, not that it makes sense: every field is checked as strictly as
// user input before anything in it is stored.

var (
	sm3Pattern    = regexp.MustCompile(`^[0-9a-f]{64}$`)
	cardNoPattern = regexp.MustCompile(`^[\p{Han}A-Za-z0-9-]{4,40}$`)
)

// earliestIssue is the earliest date a 惠才卡 can carry.
var earliestIssue = time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)

const maxReason = 500

func (rc Receipt) check() error {
	issuedAt, err := time.Parse(time.RFC3339, rc.IssuedAt)
	switch {
	case rc.PackageID == "" || len(rc.PackageID) > 64 || !plainText(rc.PackageID):
		return problem("回执中的提交包编号无效")
	case !sm3Pattern.MatchString(rc.PackageSM3):
		return problem("回执中的提交包 SM3 哈希无效")
	case err != nil || issuedAt.Before(earliestIssue):
		return problem("回执的签发时间无效：%q", rc.IssuedAt)
	case len(rc.Items) == 0:
		return problem("回执中没有任何事项的审核结果")
	}
	seen := map[int64]bool{}
	for _, it := range rc.Items {
		if it.ID <= 0 || seen[it.ID] {
			return problem("回执中的事项编号 %d 无效或重复", it.ID)
		}
		seen[it.ID] = true
		if err := it.check(rc.Batch.Kind, issuedAt); err != nil {
			return err
		}
	}
	return nil
}

func (it ReceiptItem) check(kind string, issuedAt time.Time) error {
	if !it.Accepted {
		if it.Reason == "" || utf8.RuneCountInString(it.Reason) > maxReason || !plainText(it.Reason) {
			return problem("回执中事项 %d 未通过，但没有写明有效的原因", it.ID)
		}
		if it.CardNo != "" || it.IssuedOn != "" || it.ExpiresOn != "" {
			return problem("回执中事项 %d 未通过，却带有卡号或日期", it.ID)
		}
		return nil
	}
	if it.Reason != "" {
		return problem("回执中事项 %d 已通过，却带有不通过原因", it.ID)
	}
	if kind != "card" {
		if it.CardNo != "" || it.IssuedOn != "" || it.ExpiresOn != "" {
			return problem("回执中事项 %d 不是惠才卡申领，却带有卡号或日期", it.ID)
		}
		return nil
	}
	return it.checkCard(issuedAt)
}

func (it ReceiptItem) checkCard(issuedAt time.Time) error {
	if !cardNoPattern.MatchString(it.CardNo) {
		return problem("回执中事项 %d 的卡号无效：%q", it.ID, it.CardNo)
	}
	issued, err := time.Parse(time.DateOnly, it.IssuedOn)
	if err != nil || issued.Before(earliestIssue) || issued.After(issuedAt.AddDate(0, 0, 1)) {
		return problem("回执中事项 %d 的发卡日期无效：%q", it.ID, it.IssuedOn)
	}
	expires, err := time.Parse(time.DateOnly, it.ExpiresOn)
	if err != nil || !expires.After(issued) || expires.After(issued.AddDate(CardValidityYears, 0, 0)) {
		return problem("回执中事项 %d 的有效期至 %q 无效（应晚于发卡日期 %s，且不超过 %d 年）", it.ID, it.ExpiresOn, it.IssuedOn, CardValidityYears)
	}
	return nil
}

// plainText refuses control, format (bidi, zero-width) and invalid characters.
func plainText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}
