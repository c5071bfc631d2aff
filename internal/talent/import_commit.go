package talent

import (
	"context"
	"database/sql"
	"fmt"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/store"
)

// ImportMode is what to do with a sheet that has bad rows.
type ImportMode string

// The choices the preview offers.
const (
	ImportValidRows ImportMode = "valid" // 仅导入无误的行
	ImportAllOrNone ImportMode = "all"   // 全部无误才导入
)

// ImportResult is what an import did.
type ImportResult struct {
	Imported int    `json:"imported"`
	Existing int    `json:"existing"` // already registered: left unchanged
	Skipped  int    `json:"skipped"`  // rows with a problem: not imported
	Message  string `json:"message"`
}

// importedUsername is the placeholder username of an imported record: no
// one signs in with it (the record has no password) until the talent
// claims it by registering with the same ID number.
func importedUsername(index string) string { return "import-" + index[:16] }

// Import adds the ready rows of check as talents, in one transaction with
// one audit row naming the file and the counts; opened runs for each (the
// card application is opened as on registration). Imported talents have
// no password: they are records the commissioners work on. In
// ImportAllOrNone mode a single bad row imports nothing. A sheet whose
// talents are all registered already changes nothing and says so.
func Import(ctx context.Context, db *store.DB, by account.User, check *ImportCheck, mode ImportMode, fileName, client string, opened Hook) (ImportResult, error) {
	res := ImportResult{Existing: check.Existing, Skipped: check.Invalid}
	switch {
	case mode != ImportValidRows && mode != ImportAllOrNone:
		return res, apperr.InvalidField("mode", "请选择导入方式")
	case mode == ImportAllOrNone && check.Invalid > 0:
		return res, apperr.Conflict(fmt.Sprintf("有 %d 行存在错误，按“全部无误才导入”未导入任何行；请改正后重新上传，或选择“仅导入无误的行”", check.Invalid))
	case check.Valid == 0 && check.Existing > 0 && check.Invalid == 0:
		res.Message = fmt.Sprintf("表格中的 %d 人均已登记，没有需要导入的新记录，未作任何改动", check.Existing)
		return res, nil
	case check.Valid == 0:
		return res, apperr.Conflict("没有可以导入的行：请按错误说明改正后重新上传")
	}
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range check.ready {
			if err := importOne(ctx, tx, r, opened); err != nil {
				return err
			}
		}
		res.Imported = len(check.ready)
		return audit.Append(ctx, tx, audit.Entry{Actor: by.Actor(client), Action: "批量导入高层次人才", Object: fileName,
			Outcome: audit.OK, Detail: fmt.Sprintf("导入 %d 人；已登记未改动 %d 人；有错误未导入 %d 行", res.Imported, res.Existing, res.Skipped)})
	})
	if err != nil {
		return ImportResult{}, err
	}
	res.Message = fmt.Sprintf("已导入 %d 人", res.Imported)
	if res.Existing > 0 {
		res.Message += fmt.Sprintf("；%d 人已登记，未改动", res.Existing)
	}
	if res.Skipped > 0 {
		res.Message += fmt.Sprintf("；%d 行有错误，未导入", res.Skipped)
	}
	return res, nil
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
		if err == ErrDuplicateID {
			return apperr.Conflict(fmt.Sprintf("第 %d 行的证件号码刚刚已被登记，请重新上传表格检查", r.Row))
		}
		return err
	}
	return opened(ctx, tx, t)
}
