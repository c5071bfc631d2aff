// Package account owns users, their roles and sign-in sessions.
package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/store"
	"huicai/internal/validate"
	"huicai/internal/vault"
)

// Role is what a user may do.
type Role string

// The three roles.
const (
	RoleLeader       Role = "leader"
	RoleCommissioner Role = "commissioner"
	RoleTalent       Role = "talent"
)

// Label is the role's name in the UI.
func (r Role) Label() string {
	switch r {
	case RoleLeader:
		return "单位负责人"
	case RoleCommissioner:
		return "服务专员"
	case RoleTalent:
		return "高层次人才"
	}
	return string(r)
}

// Status is where an account stands.
type Status string

// Account statuses.
const (
	StatusActive   Status = "active"
	StatusPending  Status = "pending"
	StatusRejected Status = "rejected"
	StatusDisabled Status = "disabled"
)

// User is an account.
type User struct {
	ID                 int64  `json:"id"`
	Role               Role   `json:"role"`
	Username           string `json:"username"`
	Name               string `json:"name"`
	Mobile             string `json:"-"`
	Status             Status `json:"status"`
	MustChangePassword bool   `json:"must_change_password"`
}

// Actor returns the user as the actor of an audited action from client.
func (u User) Actor(client string) audit.Actor {
	return audit.Actor{UserID: u.ID, Username: u.Username, Role: string(u.Role), Client: client}
}

// Migrations creates users, sessions and staff profiles.
func Migrations() []store.Migration {
	return append([]store.Migration{{Version: 2, Name: "account: users and sessions", Up: store.Exec(
		`CREATE TABLE users (
			id INTEGER PRIMARY KEY,
			role TEXT NOT NULL CHECK (role IN ('leader', 'commissioner', 'talent')),
			username TEXT NOT NULL UNIQUE COLLATE NOCASE,
			name TEXT NOT NULL,
			mobile TEXT NOT NULL,
			password_hash TEXT NOT NULL,
			status TEXT NOT NULL CHECK (status IN ('active', 'pending', 'rejected', 'disabled')),
			must_change_password INTEGER NOT NULL DEFAULT 0,
			created_at TEXT NOT NULL,
			updated_at TEXT NOT NULL
		)`,
		`CREATE TABLE sessions (
			id INTEGER PRIMARY KEY,
			token_hash TEXT NOT NULL UNIQUE,
			user_id INTEGER NOT NULL REFERENCES users(id),
			client TEXT NOT NULL,
			created_at TEXT NOT NULL,
			last_seen_at TEXT NOT NULL
		)`,
		`CREATE INDEX sessions_user ON sessions(user_id)`,
	)}}, append(staffMigrations(), lockoutMigrations()...)...)
}

var usernamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]{3,31}$`)

// NewLeader is the leader account entered at first-run setup.
type NewLeader struct {
	Name            string `json:"leader_name"`
	Mobile          string `json:"mobile"`
	Username        string `json:"username"`
	Password        string `json:"password"`
	PasswordConfirm string `json:"password_confirm"`
}

// Normalize trims what users type around the values (never the password).
func (n *NewLeader) Normalize() {
	n.Name = strings.TrimSpace(n.Name)
	n.Mobile = strings.TrimSpace(n.Mobile)
	n.Username = strings.TrimSpace(n.Username)
}

// Check adds the leader's field errors to c.
func (n *NewLeader) Check(c *validate.Checker) {
	c.Text("leader_name", n.Name, "姓名", 30)
	c.Mobile("mobile", n.Mobile)
	CheckUsername(c, "username", n.Username)
	c.Password("password", "password_confirm", n.Password, n.PasswordConfirm)
}

// CheckUsername adds an error to c when username is not acceptable.
func CheckUsername(c *validate.Checker, field, username string) {
	switch {
	case username == "":
		c.Add(field, "请填写用户名")
	case !usernamePattern.MatchString(username):
		c.Add(field, "用户名应为4至32位，以字母开头，只含字母、数字、下划线、点或短横线")
	}
}

// CreateLeader inserts the unit leader's account inside tx; passwordHash is
// the argon2id hash of the chosen password.
func CreateLeader(ctx context.Context, tx *sql.Tx, n NewLeader, passwordHash string) (User, error) {
	return CreateUser(ctx, tx, User{Role: RoleLeader, Username: n.Username, Name: n.Name, Mobile: n.Mobile, Status: StatusActive}, passwordHash)
}

// ErrUsernameTaken is the field error for a username already in use.
var ErrUsernameTaken = apperr.InvalidField("username", "该用户名已被注册，请换一个")

// UsernameTaken reports whether an account already uses username.
func UsernameTaken(ctx context.Context, q store.Querier, username string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username = ?`, username).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("account: username taken: %w", err)
	}
	return n > 0, nil
}

// CreateUser inserts an account inside tx with the given role and status.
func CreateUser(ctx context.Context, tx *sql.Tx, u User, passwordHash string) (User, error) {
	now := store.Now()
	res, err := tx.ExecContext(ctx, `INSERT INTO users(role, username, name, mobile, password_hash, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.Role, u.Username, u.Name, vault.Seal(u.Mobile), passwordHash, u.Status, now, now)
	if err != nil {
		if store.IsUnique(err) {
			return User{}, ErrUsernameTaken
		}
		return User{}, fmt.Errorf("account: create user: %w", err)
	}
	if u.ID, err = res.LastInsertId(); err != nil {
		return User{}, fmt.Errorf("account: create user: %w", err)
	}
	return u, nil
}

const userColumns = `id, role, username, name, mobile, status, must_change_password`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (User, error) {
	var u User
	err := row.Scan(append([]any{&u.ID, &u.Role, &u.Username, &u.Name, &u.Mobile, &u.Status, &u.MustChangePassword}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, store.ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("account: scan user: %w", err)
	}
	u.Mobile = vault.MustOpen(u.Mobile, &err)
	return u, err
}

// UserByID returns one user.
func UserByID(ctx context.Context, q store.Querier, id int64) (User, error) {
	return scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// Rename keeps an account's name and mobile in step with the profile that
// owns them, inside tx.
func Rename(ctx context.Context, tx *sql.Tx, id int64, name, mobile string) error {
	_, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, mobile = ?, updated_at = ? WHERE id = ?`,
		name, vault.Seal(mobile), store.Now(), id)
	if err != nil {
		return fmt.Errorf("account: rename: %w", err)
	}
	return nil
}
