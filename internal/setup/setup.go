// Package setup performs first-run setup: it records the unit and creates
// its leader's account and the unit's signing key, once — only in a data
// folder no earlier installation left (fresh.go), and on a LAN server only
// with the one-time token it printed (token.go).
package setup

import (
	"context"
	"database/sql"
	"errors"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/sign"
	"huicai/internal/store"
	"huicai/internal/unit"
	"huicai/internal/validate"
)

// Input is what the first-run page sends.
type Input struct {
	unit.Unit
	account.NewLeader
	// Token is the one-time setup token a LAN server asks for (see CheckToken).
	Token string `json:"setup_token"`
}

// ErrAlreadyDone refuses a second setup.
var ErrAlreadyDone = apperr.Conflict("系统已完成初始设置，不能重复设置")

// Done reports whether setup has run.
func Done(ctx context.Context, q store.Querier) (bool, error) {
	_, err := unit.Get(ctx, q)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Run validates in and, if the database has no unit yet, creates the unit
// and its leader in one transaction.
func Run(ctx context.Context, db *store.DB, in Input, hash account.HashParams, client string) (unit.Unit, error) {
	if done, err := Done(ctx, db); err != nil || done {
		if err == nil {
			err = ErrAlreadyDone
		}
		return unit.Unit{}, err
	}
	in.Unit.Normalize()
	in.NewLeader.Normalize()
	var c validate.Checker
	in.Unit.Check(&c)
	in.NewLeader.Check(&c)
	if err := c.Err(); err != nil {
		return unit.Unit{}, err
	}
	passwordHash, err := account.HashPassword(in.Password, hash)
	if err != nil {
		return unit.Unit{}, err
	}
	var created unit.Unit
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		if done, err := Done(ctx, tx); err != nil || done {
			if err == nil {
				err = ErrAlreadyDone
			}
			return err
		}
		if created, err = unit.Create(ctx, tx, in.Unit); err != nil {
			return err
		}
		leader, err := account.CreateLeader(ctx, tx, in.NewLeader, passwordHash)
		if err != nil {
			return err
		}
		if err := sign.EnsureUnitKey(ctx, tx, in.Password, sign.KDF(hash)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: leader.Actor(client), Action: "初始设置",
			Object: "单位 " + created.Name + "（" + created.USCC + "）", Outcome: audit.OK,
			Detail: "创建单位负责人账号 " + leader.Username})
	})
	return created, err
}
