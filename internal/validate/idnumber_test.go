package validate

import (
	"testing"
	"time"
)

var today = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

func TestResidentID(t *testing.T) {
	id, p := ParseResidentID("11010519491231002X", today)
	if p != "" || id.Male || !id.Birth.Equal(time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("valid ID: %+v %q", id, p)
	}
	if id, p := ParseResidentID("370102198001011237", today); p != "" || !id.Male {
		t.Errorf("valid male ID: %+v %q", id, p)
	}
	bad := map[string]string{
		"110105194912310021":  "居民身份证号码校验位不正确，请核对",
		"11010519491231002":   "居民身份证号码应为18位",
		"1101051949123100211": "居民身份证号码应为18位",
		"110105199902300023":  "居民身份证号码中的出生日期不存在", // 30 February
		"110105203001010028":  "居民身份证号码中的出生日期不存在", // in the future
		"11010519491231A02X":  "居民身份证号码前17位应为数字",
	}
	for in, want := range bad {
		if _, p := ParseResidentID(in, today); p != want {
			t.Errorf("ParseResidentID(%s) = %q, want %q", in, p, want)
		}
	}
}

func TestOtherIDTypes(t *testing.T) {
	cases := []struct {
		typ, id string
		ok      bool
	}{
		{IDPassport, "E12345678", true}, {IDPassport, "E1", false},
		{IDHongKongMacau, "H12345678", true}, {IDHongKongMacau, "X12345678", false},
		{IDTaiwan, "12345678", true}, {IDTaiwan, "1234567", false},
		{IDForeignPermRes, "USA110079000001", true}, {IDForeignPermRes, "911000199001011234", true},
		{IDForeignPermRes, "12345", false}, {"军官证", "123456", false},
	}
	for _, c := range cases {
		if (IDProblem(c.typ, c.id, today) == "") != c.ok {
			t.Errorf("IDProblem(%s, %s) = %q, want ok=%v", c.typ, c.id, IDProblem(c.typ, c.id, today), c.ok)
		}
	}
}

func TestMasks(t *testing.T) {
	if got := MaskID("370102198001011237"); got != "370102********1237" {
		t.Errorf("MaskID = %s", got)
	}
	if got := MaskMobile("13812341234"); got != "138****1234" {
		t.Errorf("MaskMobile = %s", got)
	}
	if got := MaskID("E12345678"); got != "E1*****78" {
		t.Errorf("MaskID passport = %s", got)
	}
}

func TestEmail(t *testing.T) {
	for in, want := range map[string]bool{"wang@sdu.edu.cn": true, "a.b+c@x.io": true, "wang@": false, "wang at sdu": false, "<a>@x.cn": false} {
		if IsEmail(in) != want {
			t.Errorf("IsEmail(%q) = %v", in, !want)
		}
	}
}
