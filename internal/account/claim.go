package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/store"
	"huicai/internal/validate"
	"huicai/internal/vault"
)

// Unclaimed reports whether user id is a record no one signs in to yet
// (NoPassword): a talent imported by the unit.
func Unclaimed(ctx context.Context, q store.Querier, id int64) (bool, error) {
	var hash string
	err := q.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, id).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("account: unclaimed: %w", err)
	}
	return hash == NoPassword, nil
}

// Claim turns the unclaimed record id into u's account: its username,
// name, mobile and password. It fails with store.ErrNotFound if the record
// was claimed meanwhile.
func Claim(ctx context.Context, tx *sql.Tx, id int64, u User, passwordHash string) (User, error) {
	res, err := tx.ExecContext(ctx, `UPDATE users SET username = ?, name = ?, mobile = ?, password_hash = ?, updated_at = ?
		WHERE id = ? AND password_hash = ?`, u.Username, u.Name, vault.Seal(u.Mobile), passwordHash, store.Now(), id, NoPassword)
	if err != nil {
		if store.IsUnique(err) {
			return User{}, ErrUsernameTaken
		}
		return User{}, fmt.Errorf("account: claim: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return User{}, store.ErrNotFound
	}
	u.ID = id
	return u, nil
}

// OpenedAccount is the sign-in a unit opened for an imported talent: the
// temporary password is shown once, and must be changed at first sign-in.
type OpenedAccount struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// OpenImported gives the unclaimed record id (an imported talent) a
// username and a temporary password, when the unit chooses to open their
// account itself instead of waiting for them to register.
func (s *Service) OpenImported(ctx context.Context, by audit.Actor, id int64, username string) (OpenedAccount, error) {
	username = strings.TrimSpace(username)
	var c validate.Checker
	CheckUsername(&c, "username", username)
	if err := c.Err(); err != nil {
		return OpenedAccount{}, err
	}
	temp, err := temporaryPassword()
	if err != nil {
		return OpenedAccount{}, err
	}
	hash, err := HashPassword(temp, s.Policy.Hash)
	if err != nil {
		return OpenedAccount{}, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		u, err := UserByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if open, err := Unclaimed(ctx, tx, id); err != nil || !open || u.Role != RoleTalent {
			if err == nil {
				err = apperr.Conflict("该人才已有登录账号")
			}
			return err
		}
		u.Username = username
		if _, err := Claim(ctx, tx, id, u, hash); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET must_change_password = 1 WHERE id = ?`, id); err != nil {
			return fmt.Errorf("account: open imported: %w", err)
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: by, Action: "开通登录账号", Object: "高层次人才 " + u.Name + "（" + username + "）",
			Outcome: audit.OK, Detail: "单位为批量导入的人才开通账号，首次登录须修改密码"})
	})
	if err != nil {
		return OpenedAccount{}, err
	}
	return OpenedAccount{Username: username, Password: temp}, nil
}
