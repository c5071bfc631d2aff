package talent

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/store"
	"huicai/internal/vault"
)

// errClaimMismatch refuses to hand an imported record to someone whose
// name or mobile differ from what the unit recorded with that ID number.
var errClaimMismatch = apperr.InvalidField("id_number",
	"单位已用该证件号码登记了您的信息，但填写的姓名或手机号码与单位登记的不一致；请核对，或联系单位服务专员")

// claim gives the talent registering with r the record the unit imported
// under the same ID number, when no one has claimed it yet and the name
// and mobile agree: the account gets r's username and password, the
// profile r's values. It answers a zero Talent when there is no such
// record (the registration then goes on as new).
func claim(ctx context.Context, tx *sql.Tx, r Registration, passwordHash string) (Talent, error) {
	var id int64
	var name, sealedMobile string
	err := tx.QueryRowContext(ctx, `SELECT user_id, name, mobile FROM talents WHERE id_index = ?`,
		idIndex(r.IDType, r.IDNumber)).Scan(&id, &name, &sealedMobile)
	if errors.Is(err, sql.ErrNoRows) {
		return Talent{}, nil
	}
	if err != nil {
		return Talent{}, fmt.Errorf("talent: claim: %w", err)
	}
	if open, err := account.Unclaimed(ctx, tx, id); err != nil || !open {
		return Talent{}, err
	}
	mobile, err := vault.Open(sealedMobile)
	if err != nil {
		return Talent{}, err
	}
	if name != r.Name || mobile != r.Mobile {
		return Talent{}, errClaimMismatch
	}
	u, err := account.Claim(ctx, tx, id, account.User{Role: account.RoleTalent, Username: r.Username, Name: r.Name,
		Mobile: r.Mobile, Status: account.StatusActive}, passwordHash)
	if err != nil {
		return Talent{}, err
	}
	now := store.Now()
	_, err = tx.ExecContext(ctx, `UPDATE talents SET gender = ?, birth_date = ?, nationality = ?, email = ?, department_id = ?,
		category = ?, title = ?, title_date = ?, version = version + 1, updated_at = ? WHERE user_id = ?`,
		r.Gender, r.BirthDate, r.Nationality, vault.Seal(r.Email), r.DepartmentID, r.Category, r.Title, r.TitleDate, now, id)
	if err != nil {
		return Talent{}, fmt.Errorf("talent: claim: %w", err)
	}
	return Talent{ID: id, Profile: r.Profile, Username: u.Username}, nil
}
