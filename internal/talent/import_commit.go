package talent

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/sheetin"
	"huicai/internal/store"
)

// importedUsername is the placeholder username of an imported record: no
// one signs in with it (the record has no password) until the talent
// claims it by registering with the same ID number.
func importedUsername(index string) string { return "import-" + index[:16] }

// Import adds the ready rows of check as talents, in one transaction with
// one audit row naming the file and the counts; opened runs for each (the
// card application is opened as on registration). Imported talents have
// no password: they are records the commissioners work on. In
// sheetin.AllOrNone mode a single bad row imports nothing. A sheet whose
// talents are all registered already changes nothing and says so.
func Import(ctx context.Context, db *store.DB, by account.User, check *ImportCheck, mode sheetin.Mode, fileName, client string, opened Hook) (sheetin.Result, error) {
	if res, stop, err := check.Start(mode, "人"); stop {
		return res, err
	}
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range check.ready {
			if err := importOne(ctx, tx, r, opened); err != nil {
				return err
			}
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: by.Actor(client), Action: "批量导入高层次人才", Object: fileName,
			Outcome: audit.OK, Detail: check.Detail(len(check.ready), "人")})
	})
	if err != nil {
		return sheetin.Result{}, err
	}
	return check.Finish(len(check.ready), "人"), nil
}

// importOne adds one row's account (no password) and profile.
func importOne(ctx context.Context, tx *sql.Tx, r ImportRow, opened Hook) error {
	u, err := account.CreateUser(ctx, tx, account.User{Role: account.RoleTalent, Username: importedUsername(r.Index),
		Name: r.Name, Mobile: r.Mobile, Status: account.StatusActive}, account.NoPassword)
	if err != nil {
		return fmt.Errorf("talent: import row %d: %w", r.Row, err)
	}
	t, err := insertTalent(ctx, tx, u, r.Profile)
	if err != nil {
		if errors.Is(err, ErrDuplicateID) {
			return apperr.Conflict(fmt.Sprintf("第 %d 行的证件号码刚刚已被登记，请重新上传表格检查", r.Row))
		}
		return err
	}
	return opened(ctx, tx, t)
}
