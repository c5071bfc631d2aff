package validate

import (
	"testing"

	"huicai/internal/apperr"
)

func TestUSCC(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{"91350100M000100Y43", true},
		{"91370000MA3C5ELC16", true},
		{"12370000495570512F", true},
		{" 91350100m000100y43 ", true}, // typed in lower case, normalized
		{"91350100M000100Y44", false},  // wrong check character
		{"91350100M000100Y4", false},   // 17 characters
		{"91350100M000100Y433", false}, // 19 characters
		{"91350100M0001O0Y43", false},  // letter O
		{"91350100M0001i0Y43", false},  // lower-case i
		{"9135010OS000100Y43", false},  // letters O and S
		{"91350100Z000100Y43", false},  // letter Z
		{"91350100V000100Y43", false},  // letter V
		{"", false},
	}
	for _, c := range cases {
		got := USCCProblem(NormalizeUSCC(c.in)) == ""
		if got != c.want {
			t.Errorf("USCC %q valid=%v, want %v (%s)", c.in, got, c.want, USCCProblem(NormalizeUSCC(c.in)))
		}
	}
}

func TestMobile(t *testing.T) {
	for in, want := range map[string]bool{
		"13800138000": true, "19912345678": true, "12800138000": false,
		"1380013800": false, "138001380000": false, "1380013800a": false, "": false,
	} {
		if IsMobile(in) != want {
			t.Errorf("IsMobile(%q) = %v, want %v", in, !want, want)
		}
	}
}

func TestPassword(t *testing.T) {
	for in, want := range map[string]bool{
		"Abcdef12": true, "abcdef1!": true, "ABCDEF1!": true, "密码Ab1!xyz": true,
		"abcdefgh": false, "abcdef12": false, "Ab1!": false, "ABCDEFGH": false,
		"abcdefgh!": false, "": false,
	} {
		if (PasswordProblem(in) == "") != want {
			t.Errorf("PasswordProblem(%q) = %q, want ok=%v", in, PasswordProblem(in), want)
		}
	}
}

func TestCheckerCollectsFirstErrorPerField(t *testing.T) {
	var c Checker
	c.Text("name", "", "姓名", 10)
	c.Text("name", "x", "姓名", 10)
	c.Text("long", "一二三四五", "名称", 4)
	c.Text("ctl", "a\x00b", "名称", 4)
	c.Password("password", "confirm", "weak", "other")
	c.Mobile("mobile", "123")
	e, ok := apperr.As(c.Err())
	if !ok || e.Code != apperr.CodeValidation {
		t.Fatalf("want validation error, got %v", c.Err())
	}
	want := map[string]string{
		"name": "请填写姓名", "long": "名称不能超过4个字", "ctl": "名称含有不可见的控制字符",
		"password": "密码长度应为8至64位", "confirm": "两次输入的密码不一致",
		"mobile": "手机号码应为以1开头的11位数字",
	}
	for k, v := range want {
		if e.Fields[k] != v {
			t.Errorf("field %s: got %q, want %q", k, e.Fields[k], v)
		}
	}
	var empty Checker
	if empty.Err() != nil {
		t.Error("empty checker must return nil")
	}
}

func TestTextRefusesHiddenAndInvalidCharacters(t *testing.T) {
	for name, value := range map[string]string{
		"bidi override":  "王\u202e伟",
		"zero width":     "王\u200b伟",
		"byte order":     "\ufeff王伟",
		"isolate":        "王\u2066伟\u2069",
		"invalid utf-8":  "王\xff伟",
		"replaced utf-8": "王\ufffd伟",
		"c1 control":     "王\u0085伟",
	} {
		var c Checker
		c.Text("name", value, "姓名", 30)
		e, _ := apperr.As(c.Err())
		if e == nil || e.Fields["name"] != "姓名含有无法识别、不可见或改变文字方向的字符，请删除后重新输入" {
			t.Errorf("%s: %v", name, c.Err())
		}
	}
	var c Checker
	c.Text("name", "𠮷田堃 O'Brien-李", "姓名", 30)
	if err := c.Err(); err != nil {
		t.Errorf("a real name with a supplementary-plane character: %v", err)
	}
}

func TestChoice(t *testing.T) {
	var c Checker
	c.Choice("a", "", "最高学历", []string{"大学本科"})
	c.Choice("b", "大学本科", "最高学历", []string{"大学本科"})
	c.Choice("c", "本科", "最高学历", []string{"大学本科"})
	e, _ := apperr.As(c.Err())
	if e == nil || len(e.Fields) != 1 || e.Fields["c"] != "最高学历不在可选范围内，请从列表中选择" {
		t.Errorf("Choice: %v", c.Err())
	}
}
