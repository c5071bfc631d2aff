package talent_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/testdb"
	"huicai/internal/validate"
)

var ctx = context.Background()

func fixture(t *testing.T) (*store.DB, account.User, int64) {
	t.Helper()
	db := testdb.Open(t)
	return db, testdb.Leader(t, db), testdb.Department(t, db, "物理学院")
}

func fieldErr(err error, field string) string {
	e, _ := apperr.As(err)
	if e == nil {
		return ""
	}
	return e.Fields[field]
}

func TestRegisterAndSignIn(t *testing.T) {
	db, _, dept := fixture(t)
	tal := testdb.Talent(t, db, "wangkun", 1, dept)
	got, err := talent.ByID(ctx, db, tal.ID)
	if err != nil || got.Category != "泰山学者" || got.Username != "wangkun" {
		t.Fatalf("ByID: %+v %v", got, err)
	}
	s, _ := account.NewService(db, testdb.Policy())
	sess, err := s.Login(ctx, account.Credentials{Username: "wangkun", Password: testdb.Password}, "")
	if err != nil || sess.User.Role != account.RoleTalent {
		t.Fatalf("talent login: %+v %v", sess.User, err)
	}
}

func TestRegistrationBadInputChangesNothing(t *testing.T) {
	db, _, dept := fixture(t)
	testdb.Talent(t, db, "first", 1, dept)
	disabled := testdb.Department(t, db, "停用学院")
	db.Exec(`UPDATE departments SET active = 0 WHERE id = ?`, disabled)
	cases := []struct {
		name  string
		edit  func(*talent.Registration)
		field string
		msg   string
	}{
		{"check digit", func(r *talent.Registration) {
			r.IDNumber = r.IDNumber[:17] + map[bool]string{true: "1", false: "2"}[r.IDNumber[17] != '1']
		}, "id_number", "居民身份证号码校验位不正确，请核对"},
		{"length", func(r *talent.Registration) { r.IDNumber = "3701021975060" }, "id_number", "居民身份证号码应为18位"},
		{"impossible birth date", func(r *talent.Registration) { r.IDNumber = testdb.ResidentID("19750230", 3, true) }, "id_number", "居民身份证号码中的出生日期不存在"},
		{"birth date differs", func(r *talent.Registration) { r.BirthDate = "1975-06-02" }, "id_number", "身份证号码中的出生日期与填写的出生日期不一致"},
		{"sex differs", func(r *talent.Registration) { r.Gender = "女" }, "id_number", "身份证号码显示的性别与填写的性别不一致"},
		{"duplicate ID", func(r *talent.Registration) { r.IDNumber = testdb.ResidentID("19750601", 1, true) }, "id_number", talent.ErrDuplicateID.Fields["id_number"]},
		{"duplicate username", func(r *talent.Registration) { r.Username = "FIRST" }, "username", account.ErrUsernameTaken.Fields["username"]},
		{"mobile", func(r *talent.Registration) { r.Mobile = "137123" }, "mobile", "手机号码应为以1开头的11位数字"},
		{"email", func(r *talent.Registration) { r.Email = "wang@@sdu" }, "email", "电子邮箱格式不正确"},
		{"name too long", func(r *talent.Registration) { r.Name = strings.Repeat("王", 51) }, "name", "姓名不能超过50个字"},
		{"disabled department", func(r *talent.Registration) { r.DepartmentID = disabled }, "department_id", "所选二级单位已停用，请选择其他二级单位"},
		{"unknown category", func(r *talent.Registration) { r.Category = "自封大师" }, "category", "人才类别不在可选范围内"},
		{"title before birth", func(r *talent.Registration) { r.TitleDate = "1970-01-01" }, "title_date", "称号获得时间不正确"},
		{"weak password", func(r *talent.Registration) { r.Password, r.PasswordConfirm = "password", "password" }, "password", "密码需包含大写字母、小写字母、数字、符号中的至少三类"},
	}
	before := testdb.Snapshot(t, db)
	for _, c := range cases {
		r := testdb.Registration("second", 2, dept)
		c.edit(&r)
		_, err := talent.Register(ctx, db, r, testdb.FastHash, "", noHook)
		if got := fieldErr(err, c.field); got != c.msg {
			t.Errorf("%s: %s = %q (%v), want %q", c.name, c.field, got, err, c.msg)
		}
	}
	if testdb.Snapshot(t, db) != before {
		t.Error("refused registrations changed data")
	}
}

func TestTextIsStoredLiterally(t *testing.T) {
	db, _, dept := fixture(t)
	r := testdb.Registration("literal", 4, dept)
	r.Name = `<script>alert(1)</script>'); DROP TABLE users;--`
	r.Nationality = `<img src=x onerror=alert(1)>`
	tal, err := talent.Register(ctx, db, r, testdb.FastHash, "", noHook)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := talent.ByID(ctx, db, tal.ID)
	if got.Name != r.Name || got.Nationality != r.Nationality {
		t.Errorf("stored %q / %q", got.Name, got.Nationality)
	}
	var users int
	db.QueryRow(`SELECT COUNT(*) FROM users`).Scan(&users)
	if users != 2 {
		t.Errorf("users table has %d rows", users)
	}
}

func TestOtherIDTypeSkipsResidentChecks(t *testing.T) {
	db, _, dept := fixture(t)
	r := testdb.Registration("foreigner", 5, dept)
	r.IDType, r.IDNumber, r.Nationality = validate.IDPassport, "e12345678", "美国"
	tal, err := talent.Register(ctx, db, r, testdb.FastHash, "", noHook)
	if err != nil || tal.IDNumber != "E12345678" {
		t.Fatalf("passport registration: %+v %v", tal, err)
	}
}

func bind(db *store.DB, leader, c account.User, ids ...int64) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := talent.Bind(ctx, tx, leader.Actor(""), c, ids)
		return err
	})
}

func TestBindingMovesAndIsAudited(t *testing.T) {
	db, leader, dept := fixture(t)
	c1 := testdb.Commissioner(t, db, leader, "zhuanyuan1", 1, dept, true)
	c2 := testdb.Commissioner(t, db, leader, "zhuanyuan2", 2, dept, true)
	t1 := testdb.Talent(t, db, "rencai1", 1, dept)
	t2 := testdb.Talent(t, db, "rencai2", 2, dept)
	if err := bind(db, leader, c1, t1.ID, t2.ID); err != nil {
		t.Fatal(err)
	}
	if err := bind(db, leader, c2, t1.ID); err != nil {
		t.Fatal(err)
	}
	p1, _ := talent.List(ctx, db, talent.Filter{CommissionerID: c1.ID})
	p2, _ := talent.List(ctx, db, talent.Filter{CommissionerID: c2.ID})
	if p1.Total != 1 || p1.Items[0].ID != t2.ID || p2.Total != 1 || p2.Items[0].ID != t1.ID {
		t.Fatalf("after moving: c1 %+v, c2 %+v", p1, p2)
	}
	if !strings.Contains(strings.Join(testdb.AuditActions(t, db), ","), "转移绑定") {
		t.Error("the move was not audited")
	}
	unbound, _ := talent.List(ctx, db, talent.Filter{Bound: "unbound"})
	if unbound.Total != 0 {
		t.Errorf("unbound %d", unbound.Total)
	}
	if err := db.Tx(ctx, func(tx *sql.Tx) error { return talent.Unbind(ctx, tx, leader.Actor(""), t2.ID) }); err != nil {
		t.Fatal(err)
	}
	if p1, _ = talent.List(ctx, db, talent.Filter{CommissionerID: c1.ID}); p1.Total != 0 {
		t.Error("unbind left the talent bound")
	}
}

func TestBindingRefusesPendingAndDisabledCommissioners(t *testing.T) {
	db, leader, dept := fixture(t)
	pending := testdb.Commissioner(t, db, leader, "pending1", 1, dept, false)
	disabled := testdb.Commissioner(t, db, leader, "disabled1", 2, dept, true)
	db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := account.DecideStaff(ctx, tx, leader.Actor(""), disabled.ID, account.ActionDisable, "")
		return err
	})
	disabled.Status = account.StatusDisabled
	tal := testdb.Talent(t, db, "rencai", 1, dept)
	before := testdb.Snapshot(t, db)
	for _, c := range []account.User{pending, disabled} {
		err := bind(db, leader, c, tal.ID)
		if e, ok := apperr.As(err); !ok || e.Code != apperr.CodeConflict {
			t.Errorf("binding to %s commissioner: %v", c.Status, err)
		}
	}
	if testdb.Snapshot(t, db) != before {
		t.Error("refused binding changed data")
	}
}

func TestVisibilityAndReveal(t *testing.T) {
	db, leader, dept := fixture(t)
	c := testdb.Commissioner(t, db, leader, "zhuanyuan", 1, dept, true)
	mine := testdb.Talent(t, db, "mine", 1, dept)
	other := testdb.Talent(t, db, "other", 2, dept)
	testdb.Bind(t, db, leader, c, mine.ID)
	minePage, _ := talent.List(ctx, db, talent.Filter{CommissionerID: c.ID})
	if minePage.Items[0].IDNumber != validate.MaskID(mine.IDNumber) || minePage.Items[0].Mobile != validate.MaskMobile(mine.Mobile) {
		t.Errorf("list not masked: %+v", minePage.Items[0])
	}
	v, err := talent.Reveal(ctx, db, c, mine.ID, "id_number", "10.0.0.9")
	if err != nil || v != mine.IDNumber {
		t.Fatalf("reveal own talent: %q %v", v, err)
	}
	if _, err := talent.Reveal(ctx, db, c, other.ID, "id_number", ""); err == nil {
		t.Error("commissioner revealed a talent not bound to them")
	}
	talentUser, _ := account.UserByID(ctx, db, mine.ID)
	if _, err := talent.Visible(ctx, db, talentUser, other.ID); err == nil {
		t.Error("a talent saw another talent")
	}
	if !strings.Contains(strings.Join(testdb.AuditActions(t, db), ","), "查看完整信息") {
		t.Error("reveal not audited")
	}
}

func noHook(context.Context, *sql.Tx, talent.Talent) error { return nil }
