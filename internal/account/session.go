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
	"time"

	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/store"
	"huicai/internal/validate"
)

// Policy gathers the account-security settings in one place.
type Policy struct {
	// SessionIdle ends a session after this long without a request.
	SessionIdle time.Duration
	// Hash is the argon2id cost for new password hashes.
	Hash HashParams
}

// DefaultPolicy is the policy for a shared office workstation.
func DefaultPolicy() Policy {
	return Policy{SessionIdle: 15 * time.Minute, Hash: DefaultHashParams}
}

// CodeLoginFailed is the error code of a refused sign-in.
const CodeLoginFailed apperr.Code = "login_failed"

// Service signs users in and out and resolves sessions.
type Service struct {
	DB     *store.DB
	Policy Policy
	// Now is the clock; tests replace it.
	Now func() time.Time
	// dummyHash is checked when a username is unknown, so that a wrong
	// username takes as long as a wrong password.
	dummyHash string
}

// NewService returns a service over db with policy p.
func NewService(db *store.DB, p Policy) (*Service, error) {
	h, err := HashPassword("dummy-password-for-timing", p.Hash)
	if err != nil {
		return nil, err
	}
	return &Service{DB: db, Policy: p, Now: time.Now, dummyHash: h}, nil
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

func (s *Service) now() string { return s.Now().UTC().Format(time.RFC3339Nano) }

// Login checks credentials and opens a session. Every attempt is audited.
func (s *Service) Login(ctx context.Context, cr Credentials, client string) (Session, error) {
	cr.Username = strings.TrimSpace(cr.Username)
	var c validate.Checker
	c.Check("username", cr.Username != "", "请填写用户名")
	c.Check("password", cr.Password != "", "请填写密码")
	if err := c.Err(); err != nil {
		return Session{}, err
	}
	var hash string
	u, err := scanUser(s.DB.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE username = ?`, cr.Username), &hash)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Session{}, err
	}
	if errors.Is(err, store.ErrNotFound) {
		hash = s.dummyHash
	}
	ok, err := CheckPassword(cr.Password, hash)
	if err != nil {
		return Session{}, err
	}
	if !ok || u.ID == 0 {
		actor := audit.Actor{UserID: u.ID, Username: cr.Username, Role: string(u.Role), Client: client}
		if err := s.auditOnly(ctx, audit.Entry{Actor: actor, Action: "登录", Object: "用户 " + cr.Username, Outcome: audit.Failed, Detail: "用户名或密码错误"}); err != nil {
			return Session{}, err
		}
		return Session{}, apperr.New(CodeLoginFailed, "用户名或密码错误")
	}
	if u.Status != StatusActive {
		return Session{}, apperr.New(CodeLoginFailed, "该账号当前不能登录，请联系单位负责人")
	}
	return s.open(ctx, u, client)
}

func (s *Service) open(ctx context.Context, u User, client string) (Session, error) {
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
		return audit.Append(ctx, tx, audit.Entry{Actor: u.Actor(client), Action: "登录", Object: "用户 " + u.Username, Outcome: audit.OK})
	})
	if err != nil {
		return Session{}, err
	}
	return Session{Token: token, User: u}, nil
}

func (s *Service) auditOnly(ctx context.Context, e audit.Entry) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error { return audit.Append(ctx, tx, e) })
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
	idle := s.Now().Sub(seen)
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
		if _, err := s.DB.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, s.now(), sessionID); err != nil {
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
