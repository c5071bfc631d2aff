package card

import (
	"context"
	"database/sql"
	"fmt"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/files"
	"huicai/internal/store"
)

// Attachment kinds.
const (
	KindIDScan     = "id_scan"     // 证件扫描件 (required)
	KindTitleProof = "title_proof" // 人才称号证明材料 (required)
	KindOther      = "other"       // 其他证明材料 (optional, several)
)

// KindLabels name attachment kinds in the UI.
var KindLabels = map[string]string{KindIDScan: "证件扫描件", KindTitleProof: "人才称号证明材料", KindOther: "其他证明材料"}

// Attachment is a file attached to an application.
type Attachment struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	KindLabel string     `json:"kind_label"`
	File      files.File `json:"file"`
}

// Attachments lists an application's attachments in upload order, with
// their files, in one query (a batch's papers ask for thousands).
func Attachments(ctx context.Context, q store.Querier, applicationID int64) ([]Attachment, error) {
	out, err := store.Rows(ctx, q, func(rows *sql.Rows) (a Attachment, err error) {
		err = rows.Scan(append([]any{&a.ID, &a.Kind}, a.File.Fields()...)...)
		a.KindLabel = KindLabels[a.Kind]
		return a, err
	}, `SELECT a.id, a.kind, `+files.Columns+`
		FROM card_attachments a JOIN files f ON f.id = a.file_id WHERE a.application_id = ? ORDER BY a.id`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("card: attachments: %w", err)
	}
	if out == nil {
		out = []Attachment{}
	}
	return out, nil
}

func attachmentKinds(ctx context.Context, q store.Querier, applicationID int64) (map[string]int, error) {
	list, err := Attachments(ctx, q, applicationID)
	out := map[string]int{}
	for _, a := range list {
		out[a.Kind]++
	}
	return out, err
}

// Attach records an uploaded file as an attachment of an application the
// commissioner may still edit.
func Attach(ctx context.Context, db *store.DB, u account.User, id int64, kind string, f files.File, client string) (Attachment, error) {
	if KindLabels[kind] == "" {
		return Attachment{}, apperr.InvalidField("kind", "请选择附件类型")
	}
	var out Attachment
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		a, err := editable(ctx, tx, u, id)
		if err != nil {
			return err
		}
		if f, err = files.Record(ctx, tx, f); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO card_attachments(application_id, kind, file_id, created_at) VALUES (?, ?, ?, ?)`,
			a.ID, kind, f.ID, store.Now())
		if err != nil {
			return fmt.Errorf("card: attach: %w", err)
		}
		out = Attachment{Kind: kind, KindLabel: KindLabels[kind], File: f}
		out.ID, _ = res.LastInsertId()
		return audit.Append(ctx, tx, audit.Entry{Actor: u.Actor(client), Action: "上传附件",
			Object: fmt.Sprintf("惠才卡申领 #%d", a.ID), Outcome: audit.OK, Detail: KindLabels[kind] + "：" + f.Name + "（SHA-256 " + f.SHA256 + "）"})
	})
	return out, err
}

// Detach removes an attachment from an application the commissioner may
// still edit. The file's bytes stay in the store.
func Detach(ctx context.Context, db *store.DB, u account.User, id, attachmentID int64, client string) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		a, err := editable(ctx, tx, u, id)
		if err != nil {
			return err
		}
		att, err := attachmentOf(ctx, tx, a.ID, attachmentID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM card_attachments WHERE id = ?`, att.ID); err != nil {
			return fmt.Errorf("card: detach: %w", err)
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: u.Actor(client), Action: "删除附件",
			Object: fmt.Sprintf("惠才卡申领 #%d", a.ID), Outcome: audit.OK, Detail: att.KindLabel + "：" + att.File.Name})
	})
}

// AttachmentFile returns an attachment's file for a user who may see the application.
func AttachmentFile(ctx context.Context, q store.Querier, u account.User, id, attachmentID int64) (files.File, error) {
	a, _, err := Visible(ctx, q, u, id)
	if err != nil {
		return files.File{}, err
	}
	att, err := attachmentOf(ctx, q, a.ID, attachmentID)
	return att.File, err
}

var errNoAttachment = apperr.NotFound("该附件不存在")

func attachmentOf(ctx context.Context, q store.Querier, applicationID, attachmentID int64) (Attachment, error) {
	list, err := Attachments(ctx, q, applicationID)
	if err != nil {
		return Attachment{}, err
	}
	for _, a := range list {
		if a.ID == attachmentID {
			return a, nil
		}
	}
	return Attachment{}, errNoAttachment
}

// editable returns an application the commissioner may still change.
func editable(ctx context.Context, tx *sql.Tx, u account.User, id int64) (Application, error) {
	a, _, err := Visible(ctx, tx, u, id)
	if err != nil {
		return Application{}, err
	}
	if !Machine.Allows(a.State, ActionSave, string(u.Role)) {
		if u.Role != account.RoleCommissioner {
			return Application{}, apperr.Forbidden()
		}
		return Application{}, apperr.Conflict("该申领当前为“" + a.StateLabel + "”，不能修改附件")
	}
	return a, nil
}
