package card

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"huicai/internal/account"
	"huicai/internal/audit"
	"huicai/internal/export"
	"huicai/internal/pack"
	"huicai/internal/sheetin"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/validate"
)

// 持卡人才 → 批量登记已有惠才卡: the cards a unit's talents already hold,
// from a sheet, matched to the talents by ID number.

// ImportTemplateName is the file name of the template users download.
const ImportTemplateName = "已有惠才卡导入模板.xlsx"

// ImportColumns are the columns of 已有惠才卡导入模板, in its order.
var ImportColumns = []sheetin.Column{
	{Key: "name", Header: "姓名", Required: true},
	{Key: "id_type", Header: "证件类型", Required: true},
	{Key: "id_number", Header: "证件号码", Aliases: []string{"身份证号", "身份证号码", "证件号"}, Required: true},
	{Key: "card_no", Header: "惠才卡号", Aliases: []string{"卡号"}, Required: true},
	{Key: "issued_on", Header: "发卡日期", Aliases: []string{"发卡时间"}, Required: true},
	{Key: "expires_on", Header: "有效期至", Aliases: []string{"有效期", "到期日期"}},
}

// ImportTemplate is 已有惠才卡导入模板.
func ImportTemplate() export.Template {
	t := export.Template{Sheet: "已有惠才卡", Notes: []string{
		"已有惠才卡导入模板 填写说明",
		"1. 在“已有惠才卡”工作表中每行填写一张本单位人才已持有的惠才卡；第 1 行为表头，请勿修改；红色列名为必填项。",
		"2. 第 2 行是示例（姓名以“示例”开头），导入时会被跳过。",
		"3. 持卡人须已在惠才通中登记（可先用“高层次人才导入模板”批量导入），按证件号码匹配，姓名须一致。",
		"4. 证件号码、惠才卡号和日期列已设为文本格式，请勿改为数字格式。日期写成 2024-06-15 的形式；“有效期至”不填时按发卡日期起五年计算。",
		"5. 已登记的同一张卡不会重复导入；同一文件可以放心重复导入。",
	}}
	widths := map[string]float64{"name": 12, "id_type": 16, "id_number": 22, "card_no": 20, "issued_on": 14, "expires_on": 14}
	for _, c := range ImportColumns {
		col := export.TemplateColumn{Header: c.Header, Required: c.Required, Width: widths[c.Key], Text: c.Key != "id_type"}
		if c.Key == "id_type" {
			col.List = validate.IDTypes
		}
		t.Columns = append(t.Columns, col)
	}
	t.Example = []string{"示例：王堃", validate.IDResident, "370102198005120035", "鲁惠才2024000001", "2024-06-15", ""}
	return t
}

// CardImportRow is a checked row that can be imported.
type CardImportRow struct {
	Row      int
	TalentID int64
	Name     string
	CardNo   string
	IssuedOn string
	Expires  string
}

// CardImportCheck is what checking a sheet of existing cards found.
type CardImportCheck struct {
	sheetin.Tally
	ready []CardImportRow
}

// Ready are the rows that can be imported, in sheet order.
func (c *CardImportCheck) Ready() []CardImportRow { return c.ready }

// CheckCardImport reads the rows of the first sheet of f and checks each:
// the talent found by ID number with the same name, holding no other
// valid card; the card number new (the same card already recorded for the
// same talent counts as existing); the dates right.
func CheckCardImport(ctx context.Context, q store.Querier, f *sheetin.File, today time.Time) (*CardImportCheck, error) {
	rows, err := f.Rows(f.FirstSheet(), ImportColumns)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := &CardImportCheck{Tally: sheetin.NewTally(rows)}
	seen := map[string]int{} // card number → first row
	for rows.Next() {
		if strings.HasPrefix(rows.Row().Cells["name"], "示例") {
			continue
		}
		r, existing, problems, err := checkCardRow(ctx, q, rows.Row(), seen, today)
		if err != nil {
			return nil, err
		}
		switch {
		case !out.Count(problems):
		case existing:
			out.Existing++
		default:
			out.ready = append(out.ready, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out.Valid = len(out.ready)
	return out, out.Empty()
}

// checkCardRow checks one row; existing is true when that very card is
// recorded for that talent already.
func checkCardRow(ctx context.Context, q store.Querier, row sheetin.Row, seen map[string]int, today time.Time) (CardImportRow, bool, []sheetin.Problem, error) {
	cell := row.Cells
	r := CardImportRow{Row: row.Number, Name: cell["name"], CardNo: sheetin.HalfWidth(cell["card_no"]),
		IssuedOn: sheetin.Date(cell["issued_on"]), Expires: sheetin.Date(cell["expires_on"])}
	var c validate.Checker
	idType, idNumber := cell["id_type"], validate.NormalizeID(sheetin.HalfWidth(cell["id_number"]))
	if sheetin.Scientific(cell["id_number"]) || sheetin.Scientific(cell["card_no"]) {
		c.Add(map[bool]string{true: "id_number", false: "card_no"}[sheetin.Scientific(cell["id_number"])],
			"号码被 Excel 存成了数字（科学计数法），后几位已丢失；请把该列设为“文本”格式后重新填写")
	}
	c.ID("id_type", "id_number", idType, idNumber, today)
	c.Text("card_no", r.CardNo, "惠才卡号", 40)
	checkCardDates(&c, &r, today)
	if first, dup := seen[r.CardNo]; dup && r.CardNo != "" {
		c.Add("card_no", fmt.Sprintf("惠才卡号与第 %d 行重复", first))
	} else {
		seen[r.CardNo] = row.Number
	}
	existing := false
	if !c.Has("id_number") && !c.Has("id_type") {
		var err error
		if existing, err = matchHolder(ctx, q, &c, &r, idType, idNumber); err != nil {
			return r, false, nil, err
		}
	}
	return r, existing, sheetin.ProblemsOf(row.Number, c.Err(), ImportColumns), nil
}

// checkCardDates checks the issue date and the expiry (five years on when
// blank).
func checkCardDates(c *validate.Checker, r *CardImportRow, today time.Time) {
	issued, err := time.Parse("2006-01-02", r.IssuedOn)
	switch {
	case r.IssuedOn == "":
		c.Add("issued_on", "请填写发卡日期")
	case err != nil || issued.After(today):
		c.Add("issued_on", "发卡日期不正确")
	default:
		if r.Expires == "" {
			r.Expires = pack.ExpiryOf(issued).Format("2006-01-02")
		}
		if exp, err := time.Parse("2006-01-02", r.Expires); err != nil || !exp.After(issued) {
			c.Add("expires_on", "有效期至应晚于发卡日期")
		}
	}
}

// matchHolder finds the row's talent and checks the card against theirs.
func matchHolder(ctx context.Context, q store.Querier, c *validate.Checker, r *CardImportRow, idType, idNumber string) (bool, error) {
	t, err := talent.ByIDNumber(ctx, q, idType, idNumber)
	if errors.Is(err, talent.ErrNotFound) {
		c.Add("id_number", "惠才通中没有该证件号码的高层次人才，请先导入或登记该人才")
		return false, nil
	}
	if err != nil {
		return false, err
	}
	r.TalentID = t.ID
	c.Check("name", t.Name == r.Name, "姓名与惠才通中登记的“"+t.Name+"”不一致")
	var owner int64
	err = q.QueryRowContext(ctx, `SELECT talent_id FROM cards WHERE card_no = ?`, r.CardNo).Scan(&owner)
	switch {
	case err == nil && owner == t.ID:
		return !c.Has("name"), nil
	case err == nil:
		c.Add("card_no", "该惠才卡号已登记在其他人才名下")
	case !errors.Is(err, sql.ErrNoRows):
		return false, fmt.Errorf("card: import: %w", err)
	}
	if held, err := HeldBy(ctx, q, t.ID); err == nil && held.Valid && held.ExpiresOn >= r.IssuedOn {
		c.Add("card_no", "该人才已持有有效的惠才卡 "+held.CardNo)
	}
	return false, nil
}

// ImportCards records the ready rows of check as existing cards, in one
// transaction with one audit row naming the file and the counts.
func ImportCards(ctx context.Context, db *store.DB, by account.User, check *CardImportCheck, mode sheetin.Mode, fileName, client string) (sheetin.Result, error) {
	const noun = "张惠才卡"
	if res, stop, err := check.Start(mode, noun); stop {
		return res, err
	}
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range check.ready {
			if _, err := insertCard(ctx, tx, r.TalentID, r.CardNo, r.IssuedOn, r.Expires, nil); err != nil {
				return err
			}
			if err := dropUntouched(ctx, tx, r.TalentID); err != nil {
				return err
			}
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: by.Actor(client), Action: "批量登记已有惠才卡", Object: fileName,
			Outcome: audit.OK, Detail: check.Detail(len(check.ready), noun)})
	})
	if err != nil {
		return sheetin.Result{}, err
	}
	return check.Finish(len(check.ready), noun), nil
}

// dropUntouched removes the talent's open application no one has begun
// (opened at registration or import: no materials, attachments or
// history): a talent holding a card needs none until it is due.
func dropUntouched(ctx context.Context, tx *sql.Tx, talentID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM card_applications WHERE talent_id = ? AND state = ? AND version = 1
		AND highest_education = '' AND highest_degree = '' AND school_major = '' AND professional_title = ''
		AND current_position = '' AND field = '' AND title_document = '' AND achievements = '' AND postal_address = ''
		AND postal_code = ''
		AND NOT EXISTS (SELECT 1 FROM card_attachments WHERE application_id = card_applications.id)
		AND NOT EXISTS (SELECT 1 FROM card_events WHERE application_id = card_applications.id)`, talentID, StateSupplement)
	if err != nil {
		return fmt.Errorf("card: drop untouched application: %w", err)
	}
	return nil
}
