package talent

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/clock"
	"huicai/internal/store"
	"huicai/internal/unit"
	"huicai/internal/validate"
	"huicai/internal/vault"
)

// Registration is what 高层次人才注册 sends.
type Registration struct {
	Profile
	Username        string `json:"username"`
	Password        string `json:"password"`
	PasswordConfirm string `json:"password_confirm"`
}

// Hook runs inside the transaction of a change to a talent, so that other
// areas can act in step (open the card application on registration) or
// refuse (no edits once the application is submitted).
type Hook func(ctx context.Context, tx *sql.Tx, t Talent) error

// Register checks r and creates the talent's account and profile in one
// transaction, with registered run inside it. The account is active at
// once: talents sign in to fill in and follow their own application. A
// talent the unit imported (批量导入) registers by claiming that record
// (see claim): registered does not run again, the application is open.
func Register(ctx context.Context, db *store.DB, r Registration, hash account.HashParams, client string, registered Hook) (Talent, error) {
	r.Normalize()
	r.Username = strings.TrimSpace(r.Username)
	var c validate.Checker
	r.Check(&c, clock.Now())
	account.CheckUsername(&c, "username", r.Username)
	c.Password("password", "password_confirm", r.Password, r.PasswordConfirm)
	if err := c.Err(); err != nil {
		return Talent{}, err
	}
	if err := r.checkReferences(ctx, db); err != nil {
		return Talent{}, err
	}
	if taken, err := account.UsernameTaken(ctx, db, r.Username); err != nil || taken {
		if err == nil {
			err = account.ErrUsernameTaken
		}
		return Talent{}, err
	}
	passwordHash, err := account.HashPassword(r.Password, hash)
	if err != nil {
		return Talent{}, err
	}
	var t Talent
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		claimed, err := claim(ctx, tx, r, passwordHash)
		if err != nil || claimed.ID != 0 {
			t = claimed
			return claimedAudit(ctx, tx, claimed, client, err)
		}
		u, err := account.CreateUser(ctx, tx, account.User{Role: account.RoleTalent, Username: r.Username,
			Name: r.Name, Mobile: r.Mobile, Status: account.StatusActive}, passwordHash)
		if err != nil {
			return err
		}
		if t, err = insertTalent(ctx, tx, u, r.Profile); err != nil {
			return err
		}
		if err := registered(ctx, tx, t); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: u.Actor(client), Action: "高层次人才注册", Object: object(t), Outcome: audit.OK})
	})
	return t, err
}

// insertTalent adds the profile of user u, its personal numbers sealed.
func insertTalent(ctx context.Context, tx *sql.Tx, u account.User, p Profile) (Talent, error) {
	now := store.Now()
	_, err := tx.ExecContext(ctx, `INSERT INTO talents(user_id, name, gender, birth_date, nationality, id_type, id_number,
		id_index, mobile, email, department_id, category, title, title_date, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.ID, p.Name, p.Gender, p.BirthDate, p.Nationality,
		p.IDType, vault.Seal(p.IDNumber), idIndex(p.IDType, p.IDNumber), vault.Seal(p.Mobile), vault.Seal(p.Email),
		p.DepartmentID, p.Category, p.Title, p.TitleDate, now, now)
	if err != nil {
		if store.IsUnique(err) {
			return Talent{}, ErrDuplicateID
		}
		return Talent{}, fmt.Errorf("talent: insert: %w", err)
	}
	return Talent{ID: u.ID, Profile: p, Username: u.Username, CreatedAt: now, Version: 1}, nil
}

// claimedAudit records the claim of an imported record (nothing when err).
func claimedAudit(ctx context.Context, tx *sql.Tx, t Talent, client string, err error) error {
	if err != nil {
		return err
	}
	actor := account.User{ID: t.ID, Role: account.RoleTalent, Username: t.Username}.Actor(client)
	return audit.Append(ctx, tx, audit.Entry{Actor: actor, Action: "高层次人才注册", Object: object(t), Outcome: audit.OK,
		Detail: "认领单位批量导入的记录"})
}

func object(t Talent) string { return "高层次人才 " + t.Name + "（" + t.Username + "）" }

// checkReferences refuses a disabled or unknown department and options the
// leader does not offer.
func (p *Profile) checkReferences(ctx context.Context, q store.Querier) error {
	if _, err := unit.ActiveDepartment(ctx, q, p.DepartmentID, "department_id"); err != nil {
		return err
	}
	return p.checkLists(ctx, q, nil)
}

// errStale refuses a save made from an outdated copy of the profile.
var errStale = apperr.Conflict("信息已在别处被修改，请刷新页面，核对后再保存")

// UpdateProfile saves a talent's edited profile inside one transaction in
// which allowed may still refuse the edit. Category, title and department
// must still be offered, unless unchanged.
func UpdateProfile(ctx context.Context, db *store.DB, by account.User, id int64, edit ProfileEdit, client string, allowed Hook) (Talent, error) {
	p := edit.Profile
	p.Normalize()
	var c validate.Checker
	p.Check(&c, clock.Now())
	if err := c.Err(); err != nil {
		return Talent{}, err
	}
	old, err := Visible(ctx, db, by, id)
	if err != nil {
		return Talent{}, err
	}
	if p.DepartmentID != old.DepartmentID {
		if _, err := unit.ActiveDepartment(ctx, db, p.DepartmentID, "department_id"); err != nil {
			return Talent{}, err
		}
	}
	if err := p.checkLists(ctx, db, &old.Profile); err != nil {
		return Talent{}, err
	}
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		if err := allowed(ctx, tx, old); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE talents SET name = ?, gender = ?, birth_date = ?, nationality = ?, id_type = ?,
			id_number = ?, id_index = ?, mobile = ?, email = ?, department_id = ?, category = ?, title = ?, title_date = ?,
			updated_at = ?, version = version + 1 WHERE user_id = ? AND version = ?`, p.Name, p.Gender, p.BirthDate,
			p.Nationality, p.IDType, vault.Seal(p.IDNumber), idIndex(p.IDType, p.IDNumber), vault.Seal(p.Mobile),
			vault.Seal(p.Email), p.DepartmentID, p.Category, p.Title, p.TitleDate, store.Now(),
			id, edit.Version)
		if err != nil {
			if store.IsUnique(err) {
				return ErrDuplicateID
			}
			return fmt.Errorf("talent: update: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errStale
		}
		if err := account.Rename(ctx, tx, id, p.Name, p.Mobile); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: by.Actor(client), Action: "修改人才信息", Object: object(old), Outcome: audit.OK})
	})
	if err != nil {
		return Talent{}, err
	}
	return ByID(ctx, db, id)
}

// Reveal returns one unmasked personal field of a talent to a user allowed
// to see it, and audits that it was shown.
func Reveal(ctx context.Context, db *store.DB, by account.User, id int64, field, client string) (string, error) {
	t, err := Visible(ctx, db, by, id)
	if err != nil {
		return "", err
	}
	value, label := t.IDNumber, "证件号码"
	switch field {
	case "id_number":
	case "mobile":
		value, label = t.Mobile, "手机号码"
	default:
		return "", apperr.InvalidField("field", "不支持查看该字段")
	}
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		return audit.Append(ctx, tx, audit.Entry{Actor: by.Actor(client), Action: "查看完整信息", Object: object(t), Outcome: audit.OK, Detail: label})
	})
	return value, err
}
