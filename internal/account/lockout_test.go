package account_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"huicai/internal/account"
	"huicai/internal/clock"
	"huicai/internal/testdb"
)

const refused = "用户名或密码错误。连续输错5次后，需等待15分钟才能再次登录"

func loginFrom(s *account.Service, client, username, password string) error {
	_, err := s.Login(ctx, account.Credentials{Username: username, Password: password}, client)
	return err
}

func auditCount(t *testing.T, s *account.Service, action, detail string) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = ? AND detail LIKE ?`, action, detail+"%").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLockoutAfterFiveFailuresFromOneAddress(t *testing.T) {
	s, db, _, _ := accounts(t)
	now := clock.Now()
	t.Cleanup(clock.Set(func() time.Time { return now }))
	for i := 1; i <= 5; i++ {
		if err := loginFrom(s, "10.0.0.8", "leader", "Wrong@2026"); message(err) != refused {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if err := loginFrom(s, "10.0.0.8", "leader", testdb.Password); message(err) != refused {
		t.Fatalf("the right password during the lockout: %v", err)
	}
	var sessions int
	db.QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&sessions)
	if sessions != 0 {
		t.Error("a locked account got a session")
	}
	if err := loginFrom(s, "10.0.0.9", "leader", testdb.Password); err != nil {
		t.Fatalf("the leader's own workstation is locked out too: %v", err)
	}
	now = now.Add(15*time.Minute + time.Second)
	if err := loginFrom(s, "10.0.0.8", "leader", testdb.Password); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	if n := auditCount(t, s, "账号锁定", "连续5次登录失败"); n != 1 {
		t.Errorf("lockouts audited: %d", n)
	}
}

func TestParallelWrongPasswordsCheckOnlyFive(t *testing.T) {
	s, _, _, _ := accounts(t)
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = loginFrom(s, "10.0.0.66", "leader", "Wrong@2026") }()
	}
	wg.Wait()
	for i, err := range errs {
		if message(err) != refused {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if checked := auditCount(t, s, "登录", "密码错误"); checked != 5 {
		t.Errorf("passwords checked: %d, want exactly 5", checked)
	}
	if locked := auditCount(t, s, "登录", "账号已锁定"); locked != 45 {
		t.Errorf("refused as locked: %d, want 45", locked)
	}
	if err := loginFrom(s, "10.0.0.66", "leader", testdb.Password); message(err) != refused {
		t.Fatalf("the right password after the burst: %v", err)
	}
}

func TestManyLockedAddressesLockTheAccount(t *testing.T) {
	s, _, _, _ := accounts(t)
	for _, client := range []string{"10.0.0.21", "10.0.0.22", "10.0.0.23"} {
		for range 5 {
			loginFrom(s, client, "leader", "Wrong@2026")
		}
	}
	if n := auditCount(t, s, "账号锁定", "3个地址同时被暂停登录"); n != 1 {
		t.Fatalf("account-wide lock audited %d times", n)
	}
	if err := loginFrom(s, "10.0.0.9", "leader", testdb.Password); message(err) != refused {
		t.Fatalf("a fresh address during the account-wide lock: %v", err)
	}
}

func TestUnknownAndLockedNamesAnswerLikeAWrongPassword(t *testing.T) {
	s, _, _, _ := accounts(t)
	for range 5 {
		loginFrom(s, "10.0.0.8", "leader", "Wrong@2026")
	}
	locked := loginFrom(s, "10.0.0.8", "leader", "Wrong@2026")
	unknown := loginFrom(s, "10.0.0.8", "nobody", "Wrong@2026")
	wrong := loginFrom(s, "10.0.0.5", "leader", "Wrong@2026")
	for name, err := range map[string]error{"locked": locked, "unknown": unknown, "wrong": wrong} {
		if message(err) != refused || !strings.Contains(err.Error(), string(account.CodeLoginFailed)) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
