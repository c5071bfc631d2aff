package card

import (
	"context"
	"database/sql"
	"fmt"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/flow"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/validate"
)

// Visible returns application id, with the actions u may take on it now,
// and its talent if u may see them: the leader, the talent's bound
// commissioner, and the talent.
func Visible(ctx context.Context, q store.Querier, u account.User, id int64) (Application, talent.Talent, error) {
	a, err := ByID(ctx, q, id)
	if err != nil {
		return Application{}, talent.Talent{}, err
	}
	t, err := talent.ByID(ctx, q, a.TalentID)
	if err != nil {
		return Application{}, talent.Talent{}, err
	}
	if !talent.CanView(u, t) {
		return Application{}, talent.Talent{}, apperr.Forbidden()
	}
	if a.Actions, err = actionsOn(ctx, q, u, a); err != nil {
		return Application{}, talent.Talent{}, err
	}
	return a, t, nil
}

// actionsOn are the actions u, who may see it, may take on a now.
func actionsOn(ctx context.Context, q store.Querier, u account.User, a Application) (flow.Actions, error) {
	othersOpen := false
	if a.State == StateProvinceRejected {
		err := q.QueryRowContext(ctx, `SELECT `+openOfTalent+` FROM card_applications a WHERE a.id = ?`, a.ID).Scan(&othersOpen)
		if err != nil {
			return nil, fmt.Errorf("card: open applications: %w", err)
		}
	}
	return actionsFor(u, a.State, othersOpen), nil
}

// Draft is a save or submit of the materials at the version the user saw.
type Draft struct {
	Version int `json:"version"`
	Materials
}

// Save keeps a draft of the materials (保存).
func Save(ctx context.Context, db *store.DB, u account.User, id int64, d Draft, client string) (Application, error) {
	d.normalize()
	var c validate.Checker
	d.checkLengths(&c)
	if err := c.Err(); err != nil {
		return Application{}, err
	}
	return saveAndMove(ctx, db, u, id, d, ActionSave, client)
}

// Submit checks that the materials and attachments are complete and sends
// the application to the leader (提交到单位负责人). Nothing changes when
// anything is missing.
func Submit(ctx context.Context, db *store.DB, u account.User, id int64, d Draft, client string) (Application, error) {
	// Who may see it first: the completeness checks below would tell another
	// commissioner which attachments someone else's application holds.
	if _, _, err := Visible(ctx, db, u, id); err != nil {
		return Application{}, err
	}
	d.normalize()
	var c validate.Checker
	d.checkComplete(&c)
	kinds, err := attachmentKinds(ctx, db, id)
	if err != nil {
		return Application{}, err
	}
	c.Check("attachments.id_scan", kinds[KindIDScan] > 0, "请上传证件扫描件")
	c.Check("attachments.title_proof", kinds[KindTitleProof] > 0, "请上传人才称号证明材料")
	if err := c.Err(); err != nil {
		return Application{}, err
	}
	return saveAndMove(ctx, db, u, id, d, ActionSubmit, client)
}

func saveAndMove(ctx context.Context, db *store.DB, u account.User, id int64, d Draft, action, client string) (Application, error) {
	var out Application
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		a, _, err := Visible(ctx, tx, u, id)
		if err != nil {
			return err
		}
		if !Machine.Allows(a.State, action, string(u.Role)) {
			return apperr.Conflict("该申领当前为“" + a.StateLabel + "”，不能修改或提交")
		}
		if a.Version != d.Version {
			return ErrStale
		}
		if err := writeMaterials(ctx, tx, id, d.Materials); err != nil {
			return err
		}
		out, err = transition(ctx, tx, a, action, u, d.Version, "", client)
		return err
	})
	return out, err
}

// Decision is the leader's 审核结果 and 审核意见.
type Decision struct {
	Version int    `json:"version"`
	Result  string `json:"result"` // approve or reject
	Opinion string `json:"opinion"`
}

// Review records the leader's decision on an application 待单位审核:
// 通过 moves it on, 不通过 returns it to the commissioner with the opinion.
func Review(ctx context.Context, db *store.DB, u account.User, id int64, d Decision, client string) (Application, error) {
	var c validate.Checker
	c.Check("result", d.Result == ActionApprove || d.Result == ActionReject, "请选择审核结果")
	if d.Result == ActionReject {
		c.Text("opinion", d.Opinion, "审核意见", 500)
	} else {
		c.OptionalText("opinion", d.Opinion, "审核意见", 500)
	}
	if err := c.Err(); err != nil {
		return Application{}, err
	}
	var out Application
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		a, _, err := Visible(ctx, tx, u, id)
		if err != nil {
			return err
		}
		if a.Version != d.Version && a.State == StateUnitReview {
			return ErrStale
		}
		out, err = transition(ctx, tx, a, d.Result, u, d.Version, d.Opinion, client)
		return err
	})
	return out, err
}

// Renew opens a new application for a talent whose last one the province
// refused, starting from the refused one's materials and attachments (重新申领).
func Renew(ctx context.Context, db *store.DB, u account.User, id int64, client string) (Application, error) {
	var out Application
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		old, t, err := Visible(ctx, tx, u, id)
		if err != nil {
			return err
		}
		if u.Role != account.RoleCommissioner {
			return apperr.Forbidden()
		}
		if old.State != StateProvinceRejected {
			return apperr.Conflict("只有省级审核不通过的申领才能重新申领")
		}
		if out, err = reopen(ctx, tx, t, old); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: u.Actor(client), Action: "重新申领",
			Object: fmt.Sprintf("惠才卡申领 #%d", out.ID), Outcome: audit.OK, Detail: fmt.Sprintf("接续省级不通过的申领 #%d", old.ID)})
	})
	return out, err
}

// reopen opens a new application for t carrying over the materials and
// attachments of from (none when from is the zero Application).
func reopen(ctx context.Context, tx *sql.Tx, t talent.Talent, from Application) (Application, error) {
	if err := Open(ctx, tx, t); err != nil {
		return Application{}, err
	}
	fresh, err := Current(ctx, tx, t.ID)
	if err != nil || from.ID == 0 {
		return fresh, err
	}
	if err := writeMaterials(ctx, tx, fresh.ID, from.Materials); err != nil {
		return Application{}, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO card_attachments(application_id, kind, file_id, created_at)
		SELECT ?, kind, file_id, created_at FROM card_attachments WHERE application_id = ? ORDER BY id`, fresh.ID, from.ID); err != nil {
		return Application{}, fmt.Errorf("card: carry attachments over: %w", err)
	}
	return ByID(ctx, tx, fresh.ID)
}

func writeMaterials(ctx context.Context, tx *sql.Tx, id int64, m Materials) error {
	_, err := tx.ExecContext(ctx, `UPDATE card_applications SET highest_education = ?, highest_degree = ?,
		school_major = ?, professional_title = ?, current_position = ?, field = ?, title_document = ?,
		achievements = ?, postal_address = ?, postal_code = ? WHERE id = ?`, m.HighestEducation, m.HighestDegree,
		m.SchoolMajor, m.ProfessionalTitle, m.CurrentPosition, m.Field, m.TitleDocument, m.Achievements,
		m.PostalAddress, m.PostalCode, id)
	if err != nil {
		return fmt.Errorf("card: materials: %w", err)
	}
	return nil
}
