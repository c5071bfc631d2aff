package change

import (
	"context"
	"fmt"
	"strings"

	"huicai/internal/account"
	"huicai/internal/flow"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/validate"
	"huicai/internal/vault"
)

// Event is one recorded step of a request's history.
type Event = flow.Record

// History lists a request's events, oldest first.
func History(ctx context.Context, q store.Querier, id int64) ([]Event, error) {
	return flow.History(ctx, q, "change_events", "request_id", id, actionLabels)
}

// Flow draws a request's 审核流程.
func Flow(r Request, history []Event) []flow.Step {
	return flow.Draw(FlowSteps, currentStep[r.State], r.State == StateDeleted || r.State == StateWithdrawn, history, stepOf)
}

// RejectReason is the latest 不通过原因 of a request sent back.
func RejectReason(history []Event) string {
	return flow.Latest(history, ActionReject, ActionRefuse)
}

// Row is a request in a list with its talent's key data.
type Row struct {
	ID               int64  `json:"id"`
	TalentID         int64  `json:"talent_id"`
	Name             string `json:"name"`
	Gender           string `json:"gender"`
	Mobile           string `json:"mobile"`
	CardNo           string `json:"card_no"`
	TypeName         string `json:"change_type"`
	ChangeDate       string `json:"change_date"`
	State            string `json:"state"`
	StateLabel       string `json:"state_label"`
	Step             string `json:"step"`
	Version          int    `json:"version"`
	CommissionerName string `json:"commissioner_name"`
	CreatedAt        string `json:"created_at"`
}

// Filter selects requests for a list.
type Filter struct {
	States         []string
	Name           string
	CommissionerID int64
	Page, PageSize int
}

// Scope restricts f to what u may see: a commissioner their own requests.
func (f Filter) Scope(u account.User) Filter {
	if u.Role == account.RoleCommissioner {
		f.CommissionerID = u.ID
	}
	return f
}

// List returns a page of requests, newest first. It reads talents, cards
// and users for the names and numbers it shows.
func List(ctx context.Context, q store.Querier, f Filter) (talent.Page[Row], error) {
	where, args := []string{"1 = 1"}, []any{}
	if len(f.States) > 0 {
		where = append(where, "r.state IN ("+strings.TrimSuffix(strings.Repeat("?,", len(f.States)), ",")+")")
		for _, s := range f.States {
			args = append(args, s)
		}
	}
	if n := strings.TrimSpace(f.Name); n != "" {
		where, args = append(where, "instr(t.name, ?) > 0"), append(args, n)
	}
	if f.CommissionerID != 0 {
		where, args = append(where, "r.commissioner_id = ?"), append(args, f.CommissionerID)
	}
	from := ` FROM change_requests r JOIN talents t ON t.user_id = r.talent_id JOIN cards c ON c.id = r.card_id
		JOIN change_types ct ON ct.id = r.type_id JOIN users u ON u.id = r.commissioner_id WHERE ` + strings.Join(where, " AND ")
	var out talent.Page[Row]
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("change: count: %w", err)
	}
	size := f.PageSize
	if size <= 0 || size > 100 {
		size = 10
	}
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.talent_id, t.name, t.gender, t.mobile, c.card_no, ct.name, r.change_date,
		r.state, r.version, u.name, r.created_at`+from+` ORDER BY r.id DESC LIMIT ? OFFSET ?`,
		append(args, size, (max(f.Page, 1)-1)*size)...)
	if err != nil {
		return out, fmt.Errorf("change: list: %w", err)
	}
	defer rows.Close()
	out.Items = []Row{}
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.ID, &r.TalentID, &r.Name, &r.Gender, &r.Mobile, &r.CardNo, &r.TypeName, &r.ChangeDate,
			&r.State, &r.Version, &r.CommissionerName, &r.CreatedAt); err != nil {
			return out, err
		}
		r.Mobile = validate.MaskMobile(vault.MustOpen(r.Mobile, &err))
		if err != nil {
			return out, err
		}
		r.StateLabel = StateLabels[r.State]
		r.Step = stepLabel(r.State)
		out.Items = append(out.Items, r)
	}
	return out, rows.Err()
}

// stepLabel is the 当前环节 a list shows for a state.
func stepLabel(state string) string {
	switch state {
	case StateDeleted, StateWithdrawn:
		return "已终止"
	}
	if i := currentStep[state]; i < len(FlowSteps) {
		return FlowSteps[i]
	}
	return "办结"
}
