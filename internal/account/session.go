package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/clock"
	"huicai/internal/store"
	"huicai/internal/validate"
)

// Policy gathers the account-security settings in one place. Password
// strength rules live in validate.PasswordProblem.
type Policy struct {
	// SessionIdle ends a session after this long without a request.
	SessionIdle time.Duration
	// MaxFailedLogins consecutive failures from one address lock the
	// account on that address for LockoutFor; when AccountLockAddresses
	// addresses are locked at once, the account is locked everywhere.
	MaxFailedLogins      int
	LockoutFor           time.Duration
	AccountLockAddresses int
	// Hash is the argon2id cost for new password hashes.
	Hash HashParams
}

// DefaultPolicy is the policy for a shared office workstation (等保 2.0 level 3).
func DefaultPolicy() Policy {
	return Policy{SessionIdle: 15 * time.Minute, MaxFailedLogins: 5, LockoutFor: 15 * time.Minute, AccountLockAddresses: 3,
		Hash: DefaultHashParams}
}

// CodeLoginFailed is the error code of a refused sign-in.
const CodeLoginFailed apperr.Code = "login_failed"

// Service signs users in and out and resolves sessions.
type Service struct {
	DB     *store.DB
	Policy Policy
	// dummy is checked when a username is unknown or locked, so that those
	// take as long as a wrong password; made at the first need, not at start.
	dummy struct {
		once sync.Once
		hash string
	}
	// SignedIn runs inside the transaction that opens a session, with the
	// password that was just checked; PasswordChanged inside the one that
	// changes a password. Other areas keep password-wrapped secrets in step
	// with them (the unit's signing key).
	SignedIn        func(ctx context.Context, tx *sql.Tx, u User, password string) error
	PasswordChanged func(ctx context.Context, tx *sql.Tx, u User, oldPassword, newPassword string) error
}

// NewService returns a service over db with policy p.
func NewService(db *store.DB, p Policy) (*Service, error) {
	none := func(context.Context, *sql.Tx, User, string) error { return nil }
	return &Service{DB: db, Policy: p, SignedIn: none,
		PasswordChanged: func(context.Context, *sql.Tx, User, string, string) error { return nil }}, nil
}

// Session is a signed-in user and the bearer token that names the session.
type Session struct {
	Token string `json:"token"`
	User  User   `json:"user"`
}

// Credentials are what the login page sends.
type Credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Service) now() string { return store.Now() }

// Login checks credentials and opens a session. Every attempt is audited;
// MaxFailedLogins consecutive failures from one address lock the account
// there (see lockout.go), and a locked account is refused even with the
// right password. An unknown name, a wrong password and a locked account
// get the same answer after the same work, so that neither the text nor
// the time tells which accounts exist or are locked.
func (s *Service) Login(ctx context.Context, cr Credentials, client string) (Session, error) {
	cr.Username = strings.TrimSpace(cr.Username)
	var c validate.Checker
	c.Check("username", cr.Username != "", "请填写用户名")
	c.Check("password", cr.Password != "", "请填写密码")
	if err := c.Err(); err != nil {
		return Session{}, err
	}
	var hash, lockedUntil, rejectReason string
	u, err := scanUser(s.DB.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash, locked_until,
		COALESCE((SELECT reject_reason FROM staff WHERE user_id = users.id), '')
		FROM users WHERE username = ?`, cr.Username), &hash, &lockedUntil, &rejectReason)
	if errors.Is(err, store.ErrNotFound) {
		return Session{}, s.refuseAfterWork(ctx, cr, audit.Actor{Username: cr.Username, Client: client}, "用户名不存在")
	}
	if err != nil {
		return Session{}, err
	}
	actor := u.Actor(client)
	a, err := s.reserve(ctx, u, lockedUntil, client)
	if err != nil {
		return Session{}, err
	}
	if a.locked {
		return Session{}, s.refuseAfterWork(ctx, cr, actor, "账号已锁定")
	}
	ok, err := CheckPassword(cr.Password, hash)
	if err != nil {
		return Session{}, err
	}
	if !ok {
		return Session{}, s.failed(ctx, u, actor, a)
	}
	if u.Status != StatusActive {
		return Session{}, s.refuse(ctx, actor, "账号状态为"+StatusLabel(u.Status), statusError(u.Status, rejectReason))
	}
	return s.open(ctx, u, cr.Password, client)
}

// errLoginFailed is the one answer to an unknown name, a wrong password and
// a locked account.
func (s *Service) errLoginFailed() *apperr.Error {
	return apperr.New(CodeLoginFailed, fmt.Sprintf("用户名或密码错误。连续输错%d次后，需等待%d分钟才能再次登录",
		s.Policy.MaxFailedLogins, int(s.Policy.LockoutFor.Minutes())))
}

// refuseAfterWork checks the password against a dummy hash, as a real
// attempt would, then audits the refusal and answers like a wrong password.
func (s *Service) refuseAfterWork(ctx context.Context, cr Credentials, actor audit.Actor, why string) error {
	s.dummy.once.Do(func() { s.dummy.hash, _ = HashPassword("dummy-password-for-timing", s.Policy.Hash) })
	if _, err := CheckPassword(cr.Password, s.dummy.hash); err != nil && !errors.Is(err, errBadHash) {
		return err
	}
	return s.refuse(ctx, actor, why, s.errLoginFailed())
}

func statusError(st Status, reason string) error {
	switch st {
	case StatusPending:
		return apperr.New(CodeLoginFailed, "您的注册申请正在等待单位负责人审核，审核通过后才能登录")
	case StatusRejected:
		return apperr.New(CodeLoginFailed, "您的注册申请未通过审核，原因："+reason)
	}
	return apperr.New(CodeLoginFailed, "该账号已被停用，请联系单位负责人")
}

func (s *Service) lockedUntil(v string) (time.Time, bool) {
	until, err := time.Parse(time.RFC3339Nano, v)
	return until, err == nil && clock.Now().Before(until)
}

// refuse audits a refused sign-in and returns result.
func (s *Service) refuse(ctx context.Context, actor audit.Actor, why string, result error) error {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		return audit.Append(ctx, tx, audit.Entry{Actor: actor, Action: "登录", Object: "用户 " + actor.Username, Outcome: audit.Failed, Detail: why})
	})
	if err != nil {
		return err
	}
	return result
}

func (s *Service) open(ctx context.Context, u User, password, client string) (Session, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Session{}, fmt.Errorf("account: token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions(token_hash, user_id, client, created_at, last_seen_at)
			VALUES (?, ?, ?, ?, ?)`, tokenHash(token), u.ID, client, now, now); err != nil {
			return fmt.Errorf("account: open session: %w", err)
		}
		if err := clearFailures(ctx, tx, u.ID, client); err != nil {
			return err
		}
		if err := s.SignedIn(ctx, tx, u, password); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: u.Actor(client), Action: "登录", Object: "用户 " + u.Username, Outcome: audit.OK})
	})
	if err != nil {
		return Session{}, err
	}
	return Session{Token: token, User: u}, nil
}

// Authenticate resolves a bearer token to its user, ending the session when
// it has been idle too long.
func (s *Service) Authenticate(ctx context.Context, token string) (User, error) {
	if token == "" {
		return User{}, apperr.New(apperr.CodeUnauthenticated, "请先登录")
	}
	var sessionID int64
	var lastSeen string
	u, err := scanUser(s.DB.QueryRowContext(ctx, `SELECT u.id, u.role, u.username, u.name, u.mobile, u.status,
		u.must_change_password, s.id, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ?`, tokenHash(token)), &sessionID, &lastSeen)
	if errors.Is(err, store.ErrNotFound) {
		return User{}, apperr.New(apperr.CodeSessionExpired, "登录已失效，请重新登录")
	}
	if err != nil {
		return User{}, err
	}
	seen, err := time.Parse(time.RFC3339Nano, lastSeen)
	if err != nil {
		return User{}, fmt.Errorf("account: session %d last seen %q: %w", sessionID, lastSeen, err)
	}
	idle := clock.Now().Sub(seen)
	if idle > s.Policy.SessionIdle || u.Status != StatusActive {
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, sessionID); err != nil {
				return err
			}
			return audit.Append(ctx, tx, audit.Entry{Actor: u.Actor(""), Action: "会话超时", Object: "用户 " + u.Username, Outcome: audit.OK})
		})
		if err != nil {
			return User{}, fmt.Errorf("account: end idle session: %w", err)
		}
		return User{}, apperr.New(apperr.CodeSessionExpired, "长时间未操作，登录已超时，请重新登录")
	}
	if idle > min(5*time.Second, s.Policy.SessionIdle/4) {
		if _, err := s.DB.Touch(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, s.now(), sessionID); err != nil {
			return User{}, fmt.Errorf("account: touch session: %w", err)
		}
	}
	return u, nil
}

// Logout ends the session named by token.
func (s *Service) Logout(ctx context.Context, u User, token, client string) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash(token)); err != nil {
			return fmt.Errorf("account: logout: %w", err)
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: u.Actor(client), Action: "退出登录", Object: "用户 " + u.Username, Outcome: audit.OK})
	})
}

// tokenHash is what the database keeps of a token, so that a copy of the
// database does not hand out live sessions.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// EndAllSessions signs everyone out (after a restore brought back old sessions).
func EndAllSessions(ctx context.Context, db *store.DB) error {
	if _, err := db.ExecContext(ctx, `DELETE FROM sessions`); err != nil {
		return fmt.Errorf("account: end all sessions: %w", err)
	}
	return nil
}

// KeepSession carries a session over a restore: if the restored database
// has the same account (same id and username), the session named by token
// goes on there, so that whoever restored can see the restore finish.
func KeepSession(ctx context.Context, db *store.DB, u User, token, client string) error {
	same, err := UserByID(ctx, db, u.ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && same.Username != u.Username) {
		return nil
	}
	if err != nil {
		return err
	}
	now := store.Now()
	_, err = db.ExecContext(ctx, `INSERT INTO sessions(token_hash, user_id, client, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)`,
		tokenHash(token), u.ID, client, now, now)
	if err != nil {
		return fmt.Errorf("account: keep session: %w", err)
	}
	return nil
}
