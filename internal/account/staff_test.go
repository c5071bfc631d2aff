package account_test

import (
	"database/sql"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/store"
	"huicai/internal/testdb"
)

func accounts(t *testing.T) (*account.Service, *store.DB, account.User, int64) {
	t.Helper()
	db := testdb.Open(t)
	leader := testdb.Leader(t, db)
	s, err := account.NewService(db, testdb.Policy())
	if err != nil {
		t.Fatal(err)
	}
	return s, db, leader, testdb.Department(t, db, "计算机科学与技术学院")
}

func login(s *account.Service, username, password string) (account.Session, error) {
	return s.Login(ctx, account.Credentials{Username: username, Password: password}, "10.0.0.8")
}

func decide(db *store.DB, leader account.User, id int64, action, reason string) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := account.DecideStaff(ctx, tx, leader.Actor("10.0.0.2"), id, action, reason)
		return err
	})
}

func message(err error) string {
	e, _ := apperr.As(err)
	if e == nil {
		return ""
	}
	return e.Message
}

func TestStaffRegistrationReviewAndLogin(t *testing.T) {
	s, db, leader, dept := accounts(t)
	u := testdb.Commissioner(t, db, leader, "wangwu", 1, dept, false)
	if u.Status != account.StatusPending {
		t.Fatalf("new commissioner status %s", u.Status)
	}
	_, err := login(s, "wangwu", testdb.Password)
	if !strings.Contains(message(err), "等待单位负责人审核") {
		t.Fatalf("pending login: %v", err)
	}
	if counts, err := account.StaffCounts(ctx, db); err != nil || counts[account.StatusPending] != 1 || counts[account.StatusActive] != 0 {
		t.Errorf("counts before the review: %v %v", counts, err)
	}
	if err := decide(db, leader, u.ID, account.ActionApprove, ""); err != nil {
		t.Fatal(err)
	}
	before := testdb.Snapshot(t, db)
	err = decide(db, leader, u.ID, account.ActionApprove, "")
	if e, ok := apperr.As(err); !ok || e.Code != apperr.CodeConflict {
		t.Fatalf("approving twice: %v", err)
	}
	if testdb.Snapshot(t, db) != before {
		t.Error("refused approval changed data")
	}
	if _, err := login(s, "wangwu", testdb.Password); err != nil {
		t.Fatalf("approved login: %v", err)
	}
	counts, _ := account.StaffCounts(ctx, db)
	if counts[account.StatusActive] != 1 || counts[account.StatusPending] != 0 {
		t.Errorf("counts %v", counts)
	}
}

func TestRejectNeedsReasonAndShowsIt(t *testing.T) {
	s, db, leader, dept := accounts(t)
	u := testdb.Commissioner(t, db, leader, "zhaoliu", 2, dept, false)
	before := testdb.Snapshot(t, db)
	err := decide(db, leader, u.ID, account.ActionReject, "  ")
	if e, ok := apperr.As(err); !ok || e.Fields["reason"] != "请填写不通过原因" {
		t.Fatalf("reject without reason: %v", err)
	}
	if testdb.Snapshot(t, db) != before {
		t.Error("refused rejection changed data")
	}
	if err := decide(db, leader, u.ID, account.ActionReject, "所在二级单位填写错误"); err != nil {
		t.Fatal(err)
	}
	_, err = login(s, "zhaoliu", testdb.Password)
	if !strings.Contains(message(err), "原因：所在二级单位填写错误") {
		t.Fatalf("rejected login: %v", err)
	}
	if err := decide(db, leader, u.ID, account.ActionApprove, ""); err == nil {
		t.Error("approved an already rejected account")
	}
}

func TestDisableEndsSessionsAndEnableRestores(t *testing.T) {
	s, db, leader, dept := accounts(t)
	u := testdb.Commissioner(t, db, leader, "sunqi", 3, dept, true)
	sess, err := login(s, "sunqi", testdb.Password)
	if err != nil {
		t.Fatal(err)
	}
	if err := decide(db, leader, u.ID, account.ActionDisable, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, sess.Token); err == nil {
		t.Error("session survived disabling")
	}
	if _, err := login(s, "sunqi", testdb.Password); !strings.Contains(message(err), "已被停用") {
		t.Errorf("disabled login: %v", err)
	}
	if err := decide(db, leader, u.ID, account.ActionEnable, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := login(s, "sunqi", testdb.Password); err != nil {
		t.Errorf("re-enabled login: %v", err)
	}
}

func TestDuplicateRegistrations(t *testing.T) {
	_, db, leader, dept := accounts(t)
	testdb.Commissioner(t, db, leader, "zhouba", 4, dept, false)
	before := testdb.Snapshot(t, db)
	sameUser := testdb.NewStaff("ZHOUBA", 5, dept)
	sameID := testdb.NewStaff("wujiu", 4, dept)
	for name, n := range map[string]account.NewStaff{"username": sameUser, "id_number": sameID} {
		_, err := account.RegisterStaff(ctx, db, n, testdb.FastHash, "")
		if e, ok := apperr.As(err); !ok || e.Fields[name] == "" {
			t.Errorf("duplicate %s: %v", name, err)
		}
	}
	if testdb.Snapshot(t, db) != before {
		t.Error("refused registration changed data")
	}
}

func TestStaffRegistrationBadInput(t *testing.T) {
	_, db, _, dept := accounts(t)
	disabled := testdb.Department(t, db, "已撤销研究所")
	db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE departments SET active = 0 WHERE id = ?`, disabled)
		return err
	})
	cases := map[string]struct {
		edit  func(*account.NewStaff)
		field string
	}{
		"wrong check digit":   {func(n *account.NewStaff) { n.IDNumber = n.IDNumber[:17] + "0" }, "id_number"},
		"short ID":            {func(n *account.NewStaff) { n.IDNumber = "37010219850315" }, "id_number"},
		"mobile":              {func(n *account.NewStaff) { n.Mobile = "1390000000" }, "mobile"},
		"long name":           {func(n *account.NewStaff) { n.Name = strings.Repeat("名", 31) }, "name"},
		"disabled department": {func(n *account.NewStaff) { n.DepartmentID = disabled }, "department_id"},
		"no type":             {func(n *account.NewStaff) { n.RegistrationType = "" }, "registration_type"},
		"office phone":        {func(n *account.NewStaff) { n.OfficePhone = "12" }, "office_phone"},
	}
	before := testdb.Snapshot(t, db)
	for name, c := range cases {
		n := testdb.NewStaff("newuser", 9, dept)
		c.edit(&n)
		_, err := account.RegisterStaff(ctx, db, n, testdb.FastHash, "")
		if e, ok := apperr.As(err); !ok || e.Fields[c.field] == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if testdb.Snapshot(t, db) != before {
		t.Error("refused registrations changed data")
	}
}

func TestPasswordChangeAndReset(t *testing.T) {
	s, db, leader, dept := accounts(t)
	u := testdb.Commissioner(t, db, leader, "qianshi", 6, dept, true)
	sess, _ := login(s, "qianshi", testdb.Password)
	err := s.ChangePassword(ctx, sess.User, account.PasswordChange{OldPassword: "Nope@2026", NewPassword: "Newpass@2027", PasswordConfirm: "Newpass@2027"}, sess.Token, "")
	if e, ok := apperr.As(err); !ok || e.Fields["old_password"] != "原密码不正确" {
		t.Fatalf("wrong old password: %v", err)
	}
	temp, err := s.ResetPassword(ctx, leader.Actor(""), u.ID)
	if err != nil || len(temp) != 12 {
		t.Fatalf("reset: %q %v", temp, err)
	}
	if _, err := s.Authenticate(ctx, sess.Token); err == nil {
		t.Error("session survived the reset")
	}
	if _, err := login(s, "qianshi", testdb.Password); err == nil {
		t.Error("old password still works")
	}
	sess, err = login(s, "qianshi", temp)
	if err != nil || !sess.User.MustChangePassword {
		t.Fatalf("temporary password login: %+v %v", sess.User, err)
	}
	err = s.ChangePassword(ctx, sess.User, account.PasswordChange{OldPassword: temp, NewPassword: "Newpass@2027", PasswordConfirm: "Newpass@2027"}, sess.Token, "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Authenticate(ctx, sess.Token)
	if err != nil || got.MustChangePassword {
		t.Errorf("after change: %+v %v", got, err)
	}
}
