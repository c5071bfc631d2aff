package account_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/clock"
	"huicai/internal/store"
	"huicai/internal/testdb"
)

var ctx = context.Background()

const password = "Leader@2026"

func newService(t *testing.T) (*account.Service, *store.DB) {
	t.Helper()
	db := testdb.Open(t)
	s, err := account.NewService(db, testdb.Policy())
	if err != nil {
		t.Fatal(err)
	}
	hash, err := account.HashPassword(password, testdb.FastHash)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := account.CreateLeader(ctx, tx, account.NewLeader{Name: "李四", Mobile: "13800138000", Username: "leader"}, hash)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

func auditActions(t *testing.T, db *store.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT action || ':' || outcome FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPasswordHashIsArgon2idPHC(t *testing.T) {
	h, err := account.HashPassword("Secret#123", account.DefaultHashParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=98304,t=4,p=2$") {
		t.Errorf("hash %q is not the expected PHC string", h)
	}
	if ok, _ := account.CheckPassword("Secret#123", h); !ok {
		t.Error("right password refused")
	}
	if ok, _ := account.CheckPassword("Secret#124", h); ok {
		t.Error("wrong password accepted")
	}
	if _, err := account.CheckPassword("x", "$md5$abc"); err == nil {
		t.Error("malformed hash accepted")
	}
}

func TestLoginLogout(t *testing.T) {
	s, db := newService(t)
	sess, err := s.Login(ctx, account.Credentials{Username: " LEADER ", Password: password}, "10.0.0.5")
	if err != nil {
		t.Fatal(err)
	}
	if len(sess.Token) < 43 { // 32 random bytes, base64url
		t.Errorf("token %q is too short", sess.Token)
	}
	var stored string
	db.QueryRow(`SELECT token_hash FROM sessions`).Scan(&stored)
	if stored == sess.Token || strings.Contains(stored, sess.Token) {
		t.Error("the database holds the raw token")
	}
	u, err := s.Authenticate(ctx, sess.Token)
	if err != nil || u.Name != "李四" || u.Role != account.RoleLeader {
		t.Fatalf("Authenticate = %+v, %v", u, err)
	}
	if err := s.Logout(ctx, u, sess.Token, "10.0.0.5"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, sess.Token); !isCode(err, apperr.CodeSessionExpired) {
		t.Errorf("token works after logout: %v", err)
	}
	want := []string{"登录:成功", "退出登录:成功"}
	if got := auditActions(t, db); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("audit %v, want %v", got, want)
	}
}

func isCode(err error, code apperr.Code) bool {
	e, ok := apperr.As(err)
	return ok && e.Code == code
}

func TestLoginFailuresAreGenericAndAudited(t *testing.T) {
	s, db := newService(t)
	cases := []struct {
		name string
		cr   account.Credentials
		code apperr.Code
	}{
		{"wrong password", account.Credentials{Username: "leader", Password: "Wrong@2026"}, account.CodeLoginFailed},
		{"unknown user", account.Credentials{Username: "nobody", Password: password}, account.CodeLoginFailed},
		{"empty", account.Credentials{}, apperr.CodeValidation},
	}
	for _, c := range cases {
		_, err := s.Login(ctx, c.cr, "10.0.0.5")
		e, ok := apperr.As(err)
		if !ok || e.Code != c.code {
			t.Errorf("%s: got %v, want code %s", c.name, err, c.code)
			continue
		}
		if c.code == account.CodeLoginFailed && !strings.HasPrefix(e.Message, "用户名或密码错误。") {
			t.Errorf("%s: message %q", c.name, e.Message)
		}
		if c.code == apperr.CodeValidation && (e.Fields["username"] != "请填写用户名" || e.Fields["password"] != "请填写密码") {
			t.Errorf("%s: fields %v", c.name, e.Fields)
		}
	}
	var sessions int
	db.QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&sessions)
	if sessions != 0 {
		t.Errorf("%d sessions opened by failed logins", sessions)
	}
	want := "登录:失败,登录:失败"
	if got := strings.Join(auditActions(t, db), ","); got != want {
		t.Errorf("audit %s, want %s", got, want)
	}
}

func TestIdleSessionExpires(t *testing.T) {
	s, db := newService(t)
	now := clock.Now()
	t.Cleanup(clock.Set(func() time.Time { return now }))
	sess, err := s.Login(ctx, account.Credentials{Username: "leader", Password: password}, "")
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(14 * time.Minute)
	if _, err := s.Authenticate(ctx, sess.Token); err != nil {
		t.Fatalf("active after 14 idle minutes: %v", err)
	}
	now = now.Add(14 * time.Minute) // 14 minutes after the last request
	if _, err := s.Authenticate(ctx, sess.Token); err != nil {
		t.Fatalf("each request must restart the idle clock: %v", err)
	}
	now = now.Add(15*time.Minute + time.Second)
	_, err = s.Authenticate(ctx, sess.Token)
	if e, ok := apperr.As(err); !ok || e.Code != apperr.CodeSessionExpired || !strings.Contains(e.Message, "超时") {
		t.Fatalf("want session_expired, got %v", err)
	}
	var n int
	db.QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&n)
	if n != 0 {
		t.Error("expired session kept")
	}
	if _, err := s.Authenticate(ctx, ""); !isCode(err, apperr.CodeUnauthenticated) {
		t.Errorf("empty token: %v", err)
	}
	if n, err := audit.Verify(ctx, db); err != nil || n != 2 {
		t.Errorf("audit Verify = %d, %v", n, err)
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for i := 0; i < b.N; i++ {
		account.HashPassword("Leader@2026", account.DefaultHashParams)
	}
}

func TestActivityKeepsShortSessionsAlive(t *testing.T) {
	s, _ := newService(t)
	s.Policy.SessionIdle = 2 * time.Second
	now := clock.Now()
	t.Cleanup(clock.Set(func() time.Time { return now }))
	sess, err := s.Login(ctx, account.Credentials{Username: "leader", Password: password}, "")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 6; i++ {
		now = now.Add(time.Second)
		if _, err := s.Authenticate(ctx, sess.Token); err != nil {
			t.Fatalf("request %d, a second after the previous one: %v", i, err)
		}
	}
}
