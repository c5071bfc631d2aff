package account

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"math/big"

	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/store"
	"huicai/internal/validate"
)

// PasswordChange is what 修改密码 sends.
type PasswordChange struct {
	OldPassword     string `json:"old_password"`
	NewPassword     string `json:"new_password"`
	PasswordConfirm string `json:"password_confirm"`
}

// ChangePassword replaces u's password after checking the old one, and ends
// u's other sessions (keepToken names the session that asked).
func (s *Service) ChangePassword(ctx context.Context, u User, pc PasswordChange, keepToken, client string) error {
	var c validate.Checker
	c.Check("old_password", pc.OldPassword != "", "请填写原密码")
	c.Password("new_password", "password_confirm", pc.NewPassword, pc.PasswordConfirm)
	c.Check("new_password", pc.NewPassword != pc.OldPassword || pc.OldPassword == "", "新密码不能与原密码相同")
	if err := c.Err(); err != nil {
		return err
	}
	var hash string
	if err := s.DB.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&hash); err != nil {
		return fmt.Errorf("account: change password: %w", err)
	}
	if ok, err := CheckPassword(pc.OldPassword, hash); err != nil || !ok {
		if err != nil {
			return err
		}
		return apperr.InvalidField("old_password", "原密码不正确")
	}
	newHash, err := HashPassword(pc.NewPassword, s.Policy.Hash)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := setPassword(ctx, tx, u.ID, newHash, false); err != nil {
			return err
		}
		if err := s.PasswordChanged(ctx, tx, u, pc.OldPassword, pc.NewPassword); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, u.ID, tokenHash(keepToken)); err != nil {
			return fmt.Errorf("account: end other sessions: %w", err)
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: u.Actor(client), Action: "修改密码", Object: "用户 " + u.Username, Outcome: audit.OK})
	})
}

// ResetPassword gives a commissioner a new random password that must be
// changed at the next sign-in, ends their sessions, and returns it once.
func (s *Service) ResetPassword(ctx context.Context, by audit.Actor, id int64) (string, error) {
	st, err := StaffByID(ctx, s.DB, id)
	if err != nil {
		return "", err
	}
	if st.Status != StatusActive && st.Status != StatusDisabled {
		return "", apperr.Conflict("只能为审核通过的服务专员重置密码")
	}
	temp, err := temporaryPassword()
	if err != nil {
		return "", err
	}
	hash, err := HashPassword(temp, s.Policy.Hash)
	if err != nil {
		return "", err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := setPassword(ctx, tx, id, hash, true); err != nil {
			return err
		}
		if err := endSessions(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: by, Action: "重置密码", Object: staffObject(st.User), Outcome: audit.OK, Detail: "下次登录须修改密码"})
	})
	return temp, err
}

func setPassword(ctx context.Context, tx *sql.Tx, id int64, hash string, mustChange bool) error {
	_, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?,
		locked_until = '', updated_at = ? WHERE id = ?`, hash, mustChange, store.Now(), id)
	if err != nil {
		return fmt.Errorf("account: set password: %w", err)
	}
	return unlock(ctx, tx, id)
}

// temporaryPassword makes a 12-character password with every character
// class, leaving out look-alike characters (0/O, 1/l/I).
func temporaryPassword() (string, error) {
	classes := []string{"ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "#%+=@"}
	all := classes[0] + classes[1] + classes[2] + classes[3]
	out := make([]byte, 12)
	for i := range out {
		set := all
		if i < len(classes) {
			set = classes[i]
		}
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		if err != nil {
			return "", fmt.Errorf("account: temporary password: %w", err)
		}
		out[i] = set[n.Int64()]
	}
	for i := len(out) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			return "", err
		}
		out[i], out[j.Int64()] = out[j.Int64()], out[i]
	}
	return string(out), nil
}
