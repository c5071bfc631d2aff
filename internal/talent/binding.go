package talent

import (
	"context"
	"database/sql"
	"fmt"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/audit"
)

// Bind assigns talents to a commissioner inside tx. A talent is bound to at
// most one commissioner: binding a talent bound elsewhere moves them, and
// the audit row says from whom.
func Bind(ctx context.Context, tx *sql.Tx, by audit.Actor, commissioner account.User, talentIDs []int64) (int, error) {
	if commissioner.Role != account.RoleCommissioner {
		return 0, apperr.NotFound("该服务专员不存在")
	}
	if commissioner.Status != account.StatusActive {
		return 0, apperr.Conflict("只能为审核通过且未停用的服务专员绑定人才，该服务专员当前为“" + account.StatusLabel(commissioner.Status) + "”")
	}
	if len(talentIDs) == 0 {
		return 0, apperr.InvalidField("talent_ids", "请选择要绑定的高层次人才")
	}
	changed := 0
	for _, id := range talentIDs {
		t, err := ByID(ctx, tx, id)
		if err != nil {
			return 0, err
		}
		if t.CommissionerID == commissioner.ID {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE talents SET commissioner_id = ? WHERE user_id = ?`, commissioner.ID, id); err != nil {
			return 0, fmt.Errorf("talent: bind: %w", err)
		}
		action, detail := "绑定人才", "绑定到服务专员 "+commissioner.Name
		if t.CommissionerID != 0 {
			from, err := account.UserByID(ctx, tx, t.CommissionerID)
			if err != nil {
				return 0, err
			}
			action, detail = "转移绑定", "由服务专员 "+from.Name+" 转给 "+commissioner.Name
		}
		if err := audit.Append(ctx, tx, audit.Entry{Actor: by, Action: action, Object: object(t), Outcome: audit.OK, Detail: detail}); err != nil {
			return 0, err
		}
		changed++
	}
	return changed, nil
}

// Unbind releases a talent from their commissioner inside tx.
func Unbind(ctx context.Context, tx *sql.Tx, by audit.Actor, talentID int64) error {
	t, err := ByID(ctx, tx, talentID)
	if err != nil {
		return err
	}
	if t.CommissionerID == 0 {
		return apperr.Conflict("该高层次人才尚未绑定服务专员")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE talents SET commissioner_id = NULL WHERE user_id = ?`, talentID); err != nil {
		return fmt.Errorf("talent: unbind: %w", err)
	}
	return audit.Append(ctx, tx, audit.Entry{Actor: by, Action: "解除绑定", Object: object(t), Outcome: audit.OK})
}

// SetDepartment moves a talent to another department inside tx (an
// accepted 单位内部调动), audited.
func SetDepartment(ctx context.Context, tx *sql.Tx, by audit.Actor, talentID, departmentID int64, why string) error {
	t, err := ByID(ctx, tx, talentID)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE talents SET department_id = ? WHERE user_id = ?`, departmentID, talentID); err != nil {
		return fmt.Errorf("talent: set department: %w", err)
	}
	return audit.Append(ctx, tx, audit.Entry{Actor: by, Action: "变更所在二级单位", Object: object(t), Outcome: audit.OK, Detail: why})
}
