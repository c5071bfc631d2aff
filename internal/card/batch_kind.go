package card

import (
	"context"
	"database/sql"
	"fmt"
	"path"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/batch"
	"huicai/internal/export"
	"huicai/internal/flow"
	"huicai/internal/pack"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/unit"
)

// Kind is card applications as batches carry them (惠才卡汇总提交).
var Kind batch.Kind = kind{batch.Steps{KindCode: "card", KindLabel: "惠才卡申领", Prefix: "HC", Workflow: workflow, Load: load,
	Reserving: ActionBatch, Releasing: ActionUnbatch, Sending: ActionSend, Refusing: ActionRefuse,
	NotBatchable: func(a flow.Transition) error {
		return apperr.Conflict(fmt.Sprintf("惠才卡申领 #%d 当前为“%s”，不能汇总提交（只能选择单位审核通过且未在其他批次中的申领）", a.ID, a.StateLabel))
	}}}

type kind struct{ batch.Steps }

// load is application id as a transition starts from it.
func load(ctx context.Context, q store.Querier, id int64) (flow.Transition, error) {
	a, err := ByID(ctx, q, id)
	return from(a), err
}

// Apply issues cards for accepted applications and records the reason of
// each refused one.
func (k kind) Apply(ctx context.Context, tx *sql.Tx, by account.User, answers []pack.ReceiptItem, client string) error {
	return k.Answer(ctx, tx, by, answers, client, func(ans pack.ReceiptItem) error {
		a, err := ByID(ctx, tx, ans.ID)
		if err != nil {
			return err
		}
		if ans.CardNo == "" || ans.IssuedOn == "" || ans.ExpiresOn == "" {
			return apperr.Conflict(fmt.Sprintf("回执中惠才卡申领 #%d 缺少惠才卡号或有效期", a.ID))
		}
		if err := k.Move(ctx, tx, by, a.ID, ActionIssue, "惠才卡号 "+ans.CardNo, client); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE card_applications SET card_no = ?, issued_on = ?, expires_on = ? WHERE id = ?`,
			ans.CardNo, ans.IssuedOn, ans.ExpiresOn, a.ID); err != nil {
			return fmt.Errorf("card: issue: %w", err)
		}
		_, err = insertCard(ctx, tx, a.TalentID, ans.CardNo, ans.IssuedOn, ans.ExpiresOn, a.ID)
		return err
	})
}

// SummaryColumns are the 惠才卡申领汇总表's columns.
var SummaryColumns = []export.Column{{Header: "序号", Width: 8}, {Header: "姓名", Width: 10}, {Header: "性别", Width: 8},
	{Header: "证件类型", Width: 14}, {Header: "证件号码", Width: 26, Text: true}, {Header: "二级单位", Width: 18},
	{Header: "人才类别", Width: 18}, {Header: "人才称号", Width: 20}, {Header: "手机号码", Width: 14, Text: true}}

// record is one application in data.json.
type record struct {
	ApplicationID int64              `json:"application_id"`
	Talent        talent.Profile     `json:"talent"`
	Department    string             `json:"department"`
	Materials     Materials          `json:"materials"`
	Attachments   []attachmentRecord `json:"attachments"`
}

type attachmentRecord struct {
	Kind string `json:"kind"`
	Path string `json:"path"`
}

// Papers: a summary sheet and one 惠才卡申领表 per applicant.
func (kind) Papers() batch.Papers {
	return batch.Papers{SheetTitle: "惠才卡申领汇总表", Columns: SummaryColumns, FormFolder: "惠才卡申领表", DataKey: "applications"}
}

// Item gathers one application's summary row, 惠才卡申领表, the manifest's
// key data, its data.json record and its attachments.
func (kind) Item(ctx context.Context, q store.Querier, seq int, id int64) (batch.ItemPapers, error) {
	a, err := ByID(ctx, q, id)
	if err != nil {
		return batch.ItemPapers{}, err
	}
	t, err := talent.ByID(ctx, q, a.TalentID)
	if err != nil {
		return batch.ItemPapers{}, err
	}
	dept, err := unit.DepartmentByID(ctx, q, t.DepartmentID)
	if err != nil {
		return batch.ItemPapers{}, err
	}
	atts, err := Attachments(ctx, q, id)
	if err != nil {
		return batch.ItemPapers{}, err
	}
	num := fmt.Sprintf("%02d", seq)
	ip := batch.ItemPapers{Row: []string{fmt.Sprint(seq), t.Name, t.Gender, t.IDType, t.IDNumber, dept.Name, t.Category, t.Title, t.Mobile},
		Item: pack.Item{ID: a.ID, Key: map[string]string{"姓名": t.Name, "证件类型": t.IDType,
			"证件号码": t.IDNumber, "二级单位": dept.Name, "人才类别": t.Category, "人才称号": t.Title}}}
	rec := record{ApplicationID: a.ID, Talent: t.Profile, Department: dept.Name, Materials: a.Materials}
	var listed []string
	for j, att := range atts {
		pth := path.Join("attachments", num+"-"+t.Name, fmt.Sprintf("%s-%d%s", att.KindLabel, j+1, path.Ext(att.File.Name)))
		ip.Attachments = append(ip.Attachments, batch.PackFile{Path: pth, File: att.File})
		rec.Attachments = append(rec.Attachments, attachmentRecord{Kind: att.Kind, Path: pth})
		listed = append(listed, att.KindLabel+"："+att.File.Name)
	}
	ip.Record = rec
	ip.Form = &batch.NamedForm{Name: num + "-" + t.Name, Form: applicationForm(t, dept.Name, a, listed)}
	return ip, nil
}

func applicationForm(t talent.Talent, dept string, a Application, attachments []string) export.Form {
	m := a.Materials
	list := ""
	for i, l := range attachments {
		if i > 0 {
			list += "\n"
		}
		list += l
	}
	return export.Form{Title: "惠才卡申领表", Sections: []export.Section{
		{Title: "个人基本信息", Fields: []export.Field{{Label: "姓名", Value: t.Name}, {Label: "性别", Value: t.Gender},
			{Label: "出生日期", Value: t.BirthDate}, {Label: "国籍（地区）", Value: t.Nationality}, {Label: "证件类型", Value: t.IDType},
			{Label: "证件号码", Value: t.IDNumber}, {Label: "手机号码", Value: t.Mobile}, {Label: "电子邮箱", Value: t.Email},
			{Label: "所在二级单位", Value: dept}}},
		{Title: "人才信息", Fields: []export.Field{{Label: "人才类别", Value: t.Category}, {Label: "人才称号", Value: t.Title},
			{Label: "称号获得时间", Value: t.TitleDate}, {Label: "人才称号批准文件及文号", Value: m.TitleDocument}}},
		{Title: "学历与职业", Fields: []export.Field{{Label: "最高学历", Value: m.HighestEducation}, {Label: "最高学位", Value: m.HighestDegree},
			{Label: "毕业院校及专业", Value: m.SchoolMajor}, {Label: "专业技术职务（职称）", Value: m.ProfessionalTitle},
			{Label: "现任职务", Value: m.CurrentPosition}, {Label: "从事专业领域", Value: m.Field}}},
		{Title: "主要业绩与贡献", Fields: []export.Field{{Label: "主要业绩与贡献", Value: m.Achievements}}},
		{Title: "通讯信息", Fields: []export.Field{{Label: "通讯地址", Value: m.PostalAddress}, {Label: "邮政编码", Value: m.PostalCode}}},
		{Title: "附件清单", Fields: []export.Field{{Label: "附件", Value: list}}},
	}}
}
