package setup_test

import (
	"context"
	"errors"
	"testing"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/setup"
	"huicai/internal/store"
	"huicai/internal/testdb"
	"huicai/internal/unit"
)

var ctx = context.Background()

func valid() setup.Input {
	return setup.Input{
		Unit: unit.Unit{Name: "山东大学", USCC: "12370000495570512F", Address: "济南市历城区山大南路27号",
			ContactPerson: "张三", ContactPhone: "0531-88364000"},
		NewLeader: account.NewLeader{Name: "李四", Mobile: "13800138000", Username: "leader",
			Password: "Leader@2026", PasswordConfirm: "Leader@2026"},
	}
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSetupRunsOnce(t *testing.T) {
	db := testdb.Open(t)
	if done, _ := setup.Done(ctx, db); done {
		t.Fatal("fresh database reports setup done")
	}
	u, err := setup.Run(ctx, db, valid(), testdb.FastHash, "本机")
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "山东大学" || u.USCC != "12370000495570512F" {
		t.Errorf("unit %+v", u)
	}
	again := valid()
	again.Username = "other"
	_, err = setup.Run(ctx, db, again, testdb.FastHash, "本机")
	if !errors.Is(err, setup.ErrAlreadyDone) {
		t.Fatalf("second setup: %v", err)
	}
	if count(t, db, "units") != 1 || count(t, db, "users") != 1 || count(t, db, "audit_log") != 1 {
		t.Error("second setup changed data")
	}
}

func TestSetupRefusesBadInputAndCreatesNothing(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*setup.Input)
		field string
		msg   string
	}{
		{"wrong check character", func(i *setup.Input) { i.USCC = "12370000495570512G" }, "uscc", "统一社会信用代码校验位不正确，请核对"},
		{"letter O", func(i *setup.Input) { i.USCC = "1237000049557O512F" }, "uscc", "统一社会信用代码只能包含数字和除 I、O、Z、S、V 以外的大写字母"},
		{"lower-case s", func(i *setup.Input) { i.USCC = "12370000495570s12F" }, "uscc", "统一社会信用代码只能包含数字和除 I、O、Z、S、V 以外的大写字母"},
		{"17 characters", func(i *setup.Input) { i.USCC = "12370000495570512" }, "uscc", "统一社会信用代码应为18位"},
		{"mobile too short", func(i *setup.Input) { i.Mobile = "1380013800" }, "mobile", "手机号码应为以1开头的11位数字"},
		{"mobile bad prefix", func(i *setup.Input) { i.Mobile = "12800138000" }, "mobile", "手机号码应为以1开头的11位数字"},
		{"weak password", func(i *setup.Input) { i.Password, i.PasswordConfirm = "abcdefgh", "abcdefgh" }, "password", "密码需包含大写字母、小写字母、数字、符号中的至少三类"},
		{"short password", func(i *setup.Input) { i.Password, i.PasswordConfirm = "Ab1!", "Ab1!" }, "password", "密码长度应为8至64位"},
		{"passwords differ", func(i *setup.Input) { i.PasswordConfirm = "Leader@2027" }, "password_confirm", "两次输入的密码不一致"},
		{"no unit name", func(i *setup.Input) { i.Unit.Name = "  " }, "unit_name", "请填写单位名称"},
		{"bad phone", func(i *setup.Input) { i.ContactPhone = "8836" }, "contact_phone", "联系电话应为手机号码或带区号的固定电话，如 0531-86123456"},
		{"bad username", func(i *setup.Input) { i.Username = "1a" }, "username", "用户名应为4至32位，以字母开头，只含字母、数字、下划线、点或短横线"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := testdb.Open(t)
			in := valid()
			c.edit(&in)
			_, err := setup.Run(ctx, db, in, testdb.FastHash, "本机")
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.CodeValidation || e.Fields[c.field] != c.msg {
				t.Fatalf("got %v, want %s: %s", err, c.field, c.msg)
			}
			if count(t, db, "units")+count(t, db, "users")+count(t, db, "audit_log") != 0 {
				t.Error("refused setup wrote data")
			}
		})
	}
}
