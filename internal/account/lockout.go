package account

import (
	"context"
	"database/sql"
	"fmt"

	"huicai/internal/audit"
	"huicai/internal/clock"
	"huicai/internal/store"
)

// Sign-in failures are counted per account and address: a visitor who
// guesses at the leader's password from one workstation locks the account
// on that workstation only, and the account is locked everywhere only when
// AccountLockAddresses workstations are locked out at once. Each attempt is
// counted before its password is checked, in one atomic statement, so
// parallel attempts cannot check more than MaxFailedLogins passwords.

func lockoutMigrations() []store.Migration {
	return []store.Migration{{Version: 20, Name: "account: sign-in failures per address", Up: store.Exec(
		`CREATE TABLE login_failures (
			user_id INTEGER NOT NULL REFERENCES users(id),
			client TEXT NOT NULL,
			attempts INTEGER NOT NULL,
			locked_until TEXT NOT NULL DEFAULT '',
			PRIMARY KEY (user_id, client)
		) WITHOUT ROWID`,
		`ALTER TABLE users DROP COLUMN failed_logins`,
	)}, {Version: 27, Name: "account: fixed-width times", Up: store.FixTimesStep(map[string][]string{
		"users": {"created_at", "updated_at", "locked_until"}, "sessions": {"created_at", "last_seen_at"},
		"staff": {"reviewed_at"}})}}
}

// attempt is one sign-in attempt counted against (account, address).
type attempt struct {
	number int  // this attempt's place among the consecutive ones
	locked bool // refused without checking the password
}

// reserve counts an attempt by user from client, before its password is
// checked. An expired lock starts the count again.
func (s *Service) reserve(ctx context.Context, u User, accountLock, client string) (attempt, error) {
	now := clock.Now()
	if _, locked := s.lockedUntil(accountLock); locked {
		return attempt{locked: true}, nil
	}
	var n int
	var until string
	err := s.DB.WriteRowContext(ctx, `INSERT INTO login_failures(user_id, client, attempts, locked_until) VALUES (?, ?, 1, '')
		ON CONFLICT(user_id, client) DO UPDATE SET
			attempts = CASE WHEN locked_until <> '' AND locked_until <= ?3 THEN 1 ELSE attempts + 1 END,
			locked_until = CASE WHEN locked_until <> '' AND locked_until <= ?3 THEN '' ELSE locked_until END
		RETURNING attempts, locked_until`, u.ID, client, store.Timestamp(now)).Scan(&n, &until)
	if err != nil {
		return attempt{}, fmt.Errorf("account: count attempt: %w", err)
	}
	return attempt{number: n, locked: until > store.Timestamp(now) || n > s.Policy.MaxFailedLogins}, nil
}

// failed records a wrong password; the MaxFailedLogins-th in a row locks
// the account on client's address, and enough locked addresses lock it
// everywhere.
func (s *Service) failed(ctx context.Context, u User, actor audit.Actor, a attempt) error {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := audit.Append(ctx, tx, audit.Entry{Actor: actor, Action: "登录", Object: "用户 " + u.Username, Outcome: audit.Failed, Detail: "密码错误"}); err != nil {
			return err
		}
		if a.number < s.Policy.MaxFailedLogins {
			return nil
		}
		return s.lock(ctx, tx, u, actor)
	})
	if err != nil {
		return err
	}
	return s.errLoginFailed()
}

func (s *Service) lock(ctx context.Context, tx *sql.Tx, u User, actor audit.Actor) error {
	now := clock.Now()
	until := now.Add(s.Policy.LockoutFor)
	if _, err := tx.ExecContext(ctx, `UPDATE login_failures SET locked_until = ? WHERE user_id = ? AND client = ?`,
		store.Timestamp(until), u.ID, actor.Client); err != nil {
		return fmt.Errorf("account: lock: %w", err)
	}
	minutes := int(s.Policy.LockoutFor.Minutes())
	if err := audit.Append(ctx, tx, audit.Entry{Actor: actor, Action: "账号锁定", Object: "用户 " + u.Username, Outcome: audit.OK,
		Detail: fmt.Sprintf("连续%d次登录失败，暂停从 %s 登录%d分钟", s.Policy.MaxFailedLogins, actor.Client, minutes)}); err != nil {
		return err
	}
	var addresses int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_failures WHERE user_id = ? AND locked_until > ?`,
		u.ID, store.Timestamp(now)).Scan(&addresses); err != nil {
		return fmt.Errorf("account: count locked addresses: %w", err)
	}
	if addresses < s.Policy.AccountLockAddresses {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET locked_until = ? WHERE id = ?`, store.Timestamp(until), u.ID); err != nil {
		return fmt.Errorf("account: lock account: %w", err)
	}
	return audit.Append(ctx, tx, audit.Entry{Actor: actor, Action: "账号锁定", Object: "用户 " + u.Username, Outcome: audit.OK,
		Detail: fmt.Sprintf("%d个地址同时被暂停登录，账号锁定%d分钟", addresses, minutes)})
}

// clearFailures forgets user's failed attempts from client after a
// successful sign-in, inside tx.
func clearFailures(ctx context.Context, tx *sql.Tx, userID int64, client string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE user_id = ? AND client = ?`, userID, client); err != nil {
		return fmt.Errorf("account: clear failures: %w", err)
	}
	return nil
}

// unlock lifts every lock on user (a password reset by the leader), inside tx.
func unlock(ctx context.Context, tx *sql.Tx, userID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("account: unlock: %w", err)
	}
	return nil
}
