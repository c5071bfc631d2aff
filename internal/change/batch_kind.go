package change

import (
	"context"
	"database/sql"
	"fmt"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/batch"
	"huicai/internal/card"
	"huicai/internal/export"
	"huicai/internal/flow"
	"huicai/internal/pack"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/unit"
)

// Kind is change requests as batches carry them (变动汇总提交).
var Kind batch.Kind = kind{batch.Steps{KindCode: "change", KindLabel: "专家变动", Prefix: "BG", Workflow: workflow, Load: load,
	Reserving: ActionBatch, Releasing: ActionUnbatch, Sending: ActionSend, Refusing: ActionRefuse,
	NotBatchable: func(r flow.Transition) error {
		return apperr.Conflict(fmt.Sprintf("专家变动申请 #%d 当前为“%s”，不能汇总提交（只能选择审核通过且未在其他批次中的申请）", r.ID, r.StateLabel))
	}}}

type kind struct{ batch.Steps }

// load is request id as a transition starts from it.
func load(ctx context.Context, q store.Querier, id int64) (flow.Transition, error) {
	r, err := ByID(ctx, q, id)
	return from(r), err
}

// Apply carries out the province's answer: an accepted change that ends
// the card marks it 已失效 with the reason, an accepted 单位内部调动 moves
// the talent to the new department. Nothing is deleted.
func (k kind) Apply(ctx context.Context, tx *sql.Tx, by account.User, answers []pack.ReceiptItem, client string) error {
	return k.Answer(ctx, tx, by, answers, client, func(ans pack.ReceiptItem) error {
		if err := k.Move(ctx, tx, by, ans.ID, ActionAccept, "", client); err != nil {
			return err
		}
		return accepted(ctx, tx, by, ans.ID, client)
	})
}

// accepted carries out request id the province accepted.
func accepted(ctx context.Context, tx *sql.Tx, by account.User, id int64, client string) error {
	r, err := ByID(ctx, tx, id)
	if err != nil {
		return err
	}
	typ, err := TypeByID(ctx, tx, r.TypeID)
	if err != nil {
		return err
	}
	if typ.EndsCard {
		if err := card.Invalidate(ctx, tx, r.CardID, typ.Name, r.ChangeDate); err != nil {
			return err
		}
	}
	if typ.Internal && r.NewDepartmentID != 0 {
		return talent.SetDepartment(ctx, tx, by.Actor(client), r.TalentID, r.NewDepartmentID,
			fmt.Sprintf("专家变动申请 #%d（单位内部调动）经省级审核通过", r.ID))
	}
	return nil
}

// SummaryColumns are the 专家变动一览表's columns.
var SummaryColumns = []export.Column{{Header: "序号", Width: 8}, {Header: "姓名", Width: 10}, {Header: "性别", Width: 8},
	{Header: "证件号码", Width: 26, Text: true}, {Header: "惠才卡号", Width: 18, Text: true}, {Header: "变动类型", Width: 16},
	{Header: "变动发生日期", Width: 18}, {Header: "调入单位名称", Width: 20}, {Header: "调入单位编码", Width: 26, Text: true},
	{Header: "变动情况描述", Width: 36}}

type changeRecord struct {
	RequestID         int64  `json:"request_id"`
	Name              string `json:"name"`
	Gender            string `json:"gender"`
	IDType            string `json:"id_type"`
	IDNumber          string `json:"id_number"`
	CardNo            string `json:"card_no"`
	ChangeType        string `json:"change_type"`
	ChangeDate        string `json:"change_date"`
	ReceivingUnitName string `json:"receiving_unit_name"`
	ReceivingUnitCode string `json:"receiving_unit_code"`
	Description       string `json:"description"`
	NewDepartmentID   int64  `json:"new_department_id,omitempty"`
}

// Papers: the 专家变动一览表, without per-item forms.
func (kind) Papers() batch.Papers {
	return batch.Papers{SheetTitle: "专家变动一览表", Columns: SummaryColumns, DataKey: "changes"}
}

// Item gathers one change's row of the 专家变动一览表, the manifest's key
// data and its data.json record.
func (kind) Item(ctx context.Context, q store.Querier, seq int, id int64) (batch.ItemPapers, error) {
	r, err := ByID(ctx, q, id)
	if err != nil {
		return batch.ItemPapers{}, err
	}
	t, err := talent.ByID(ctx, q, r.TalentID)
	if err != nil {
		return batch.ItemPapers{}, err
	}
	c, err := card.CardByID(ctx, q, r.CardID)
	if err != nil {
		return batch.ItemPapers{}, err
	}
	receiving := r.ReceivingUnitName
	if r.NewDepartmentID != 0 {
		d, err := unit.DepartmentByID(ctx, q, r.NewDepartmentID)
		if err != nil {
			return batch.ItemPapers{}, err
		}
		receiving = "本单位 " + d.Name
	}
	return batch.ItemPapers{
		Row: []string{fmt.Sprint(seq), t.Name, t.Gender, t.IDNumber, c.CardNo, r.TypeName, r.ChangeDate,
			receiving, r.ReceivingUnitCode, r.Description},
		Item: pack.Item{ID: r.ID, Key: map[string]string{"姓名": t.Name, "证件号码": t.IDNumber,
			"惠才卡号": c.CardNo, "变动类型": r.TypeName, "变动发生日期": r.ChangeDate}},
		Record: changeRecord{RequestID: r.ID, Name: t.Name, Gender: t.Gender, IDType: t.IDType, IDNumber: t.IDNumber,
			CardNo: c.CardNo, ChangeType: r.TypeName, ChangeDate: r.ChangeDate, ReceivingUnitName: r.ReceivingUnitName,
			ReceivingUnitCode: r.ReceivingUnitCode, Description: r.Description, NewDepartmentID: r.NewDepartmentID},
	}, nil
}
