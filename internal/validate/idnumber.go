package validate

import (
	"regexp"
	"strings"
	"time"
)

// ID types (证件类型) as the province's system names them.
const (
	IDResident       = "居民身份证"
	IDPassport       = "护照"
	IDHongKongMacau  = "港澳居民来往内地通行证"
	IDTaiwan         = "台湾居民来往大陆通行证"
	IDForeignPermRes = "外国人永久居留身份证"
)

// IDTypes lists the ID types in the order forms offer them.
var IDTypes = []string{IDResident, IDPassport, IDHongKongMacau, IDTaiwan, IDForeignPermRes}

var idPatterns = map[string]*regexp.Regexp{
	IDPassport:       regexp.MustCompile(`^[A-Z0-9]{5,17}$`),
	IDHongKongMacau:  regexp.MustCompile(`^[HM][0-9]{8}([0-9]{2})?$`),
	IDTaiwan:         regexp.MustCompile(`^[0-9]{8}([0-9]{2})?$`),
	IDForeignPermRes: regexp.MustCompile(`^([A-Z]{3}[0-9]{12}|9[0-9]{16}[0-9X])$`),
}

var idFormatHelp = map[string]string{
	IDPassport:       "护照号码应为5至17位字母或数字",
	IDHongKongMacau:  "港澳居民来往内地通行证号码应为 H 或 M 加8位或10位数字",
	IDTaiwan:         "台湾居民来往大陆通行证号码应为8位或10位数字",
	IDForeignPermRes: "外国人永久居留身份证号码应为15位（3位字母加12位数字）或以9开头的18位",
}

// NormalizeID trims spaces and upper-cases an ID number (the check "x").
func NormalizeID(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// ResidentID is what a valid 居民身份证 number says about its holder.
type ResidentID struct {
	Birth time.Time
	Male  bool
}

var residentWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const residentChecks = "10X98765432"

// ParseResidentID checks an 18-digit 居民身份证 number (GB 11643): its
// format, its birth date and its check digit. It returns the problem in
// Chinese, or the birth date and sex the number encodes.
func ParseResidentID(id string, today time.Time) (ResidentID, string) {
	if len(id) != 18 {
		return ResidentID{}, "居民身份证号码应为18位"
	}
	sum := 0
	for i := 0; i < 17; i++ {
		if id[i] < '0' || id[i] > '9' {
			return ResidentID{}, "居民身份证号码前17位应为数字"
		}
		sum += int(id[i]-'0') * residentWeights[i]
	}
	if id[0] == '0' {
		return ResidentID{}, "居民身份证号码的地区码不正确"
	}
	birth, err := time.Parse("20060102", id[6:14])
	if err != nil || birth.Year() < 1900 || birth.After(today) {
		return ResidentID{}, "居民身份证号码中的出生日期不存在"
	}
	if residentChecks[sum%11] != id[17] {
		return ResidentID{}, "居民身份证号码校验位不正确，请核对"
	}
	return ResidentID{Birth: birth, Male: (id[16]-'0')%2 == 1}, ""
}

// IDProblem checks an ID number of the given type and returns the problem
// in Chinese, or "". The number should already be normalized.
func IDProblem(idType, id string, today time.Time) string {
	if idType == IDResident {
		_, p := ParseResidentID(id, today)
		return p
	}
	pattern, ok := idPatterns[idType]
	if !ok {
		return "请选择证件类型"
	}
	if !pattern.MatchString(id) {
		return idFormatHelp[idType]
	}
	return ""
}

// ID checks a required ID type and number pair.
func (c *Checker) ID(typeField, numberField, idType, id string, today time.Time) {
	if idType == "" {
		c.Add(typeField, "请选择证件类型")
		return
	}
	if _, ok := idPatterns[idType]; !ok && idType != IDResident {
		c.Add(typeField, "证件类型不在可选范围内")
		return
	}
	if id == "" {
		c.Add(numberField, "请填写证件号码")
		return
	}
	if p := IDProblem(idType, id, today); p != "" {
		c.Add(numberField, p)
	}
}

// MaskID hides the middle of an ID number for lists: 370102********123X.
func MaskID(id string) string {
	r := []rune(id)
	switch {
	case len(r) >= 15:
		return string(r[:6]) + strings.Repeat("*", len(r)-10) + string(r[len(r)-4:])
	case len(r) > 4:
		return string(r[:2]) + strings.Repeat("*", len(r)-4) + string(r[len(r)-2:])
	}
	return strings.Repeat("*", len(r))
}

// MaskMobile hides the middle four digits of a mobile: 138****1234.
func MaskMobile(m string) string {
	if len(m) != 11 {
		return MaskID(m)
	}
	return m[:3] + "****" + m[7:]
}
