package card

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

// Event is one recorded step of an application's history.
type Event = flow.Record

// History lists an application's events, oldest first.
func History(ctx context.Context, q store.Querier, id int64) ([]Event, error) {
	return flow.History(ctx, q, "card_events", "application_id", id, ActionLabels)
}

// Flow draws the 审核流程 of an application from its state and history.
func Flow(a Application, history []Event) []flow.Step {
	return flow.Draw(FlowSteps, currentStep[a.State], false, history, stepOf)
}

// ReturnOpinion is the leader's opinion that sent a returned application
// back, shown at the top of the form.
func ReturnOpinion(a Application, history []Event) string {
	if a.State != StateReturned {
		return ""
	}
	return flow.Latest(history, ActionReject)
}

// Row is an application in a list, with its talent's key data.
type Row struct {
	ID             int64  `json:"id"`
	TalentID       int64  `json:"talent_id"`
	Name           string `json:"name"`
	Gender         string `json:"gender"`
	IDType         string `json:"id_type"`
	IDNumber       string `json:"id_number"`
	DepartmentID   int64  `json:"department_id"`
	Category       string `json:"category"`
	Title          string `json:"title"`
	CommissionerID int64  `json:"commissioner_id"`
	State          string `json:"state"`
	StateLabel     string `json:"state_label"`
	Step           string `json:"step"`
	Version        int    `json:"version"`
	UpdatedAt      string `json:"updated_at"`
}

// Filter selects applications for a list.
type Filter struct {
	States         []string
	Name           string
	DepartmentID   int64
	CommissionerID int64
	TalentID       int64
	Page, PageSize int
}

// Scope restricts f to what u may see: a commissioner their bound talents,
// a talent their own applications.
func (f Filter) Scope(u account.User) Filter {
	switch u.Role {
	case account.RoleCommissioner:
		f.CommissionerID = u.ID
	case account.RoleTalent:
		f.TalentID = u.ID
	}
	return f
}

// List returns a page of applications. It reads the talents table for the
// names and departments it filters and shows.
func List(ctx context.Context, q store.Querier, f Filter) (talent.Page[Row], error) {
	where, args := []string{"1 = 1"}, []any{}
	if len(f.States) > 0 {
		where = append(where, "a.state IN ("+strings.TrimSuffix(strings.Repeat("?,", len(f.States)), ",")+")")
		for _, s := range f.States {
			args = append(args, s)
		}
	}
	if n := strings.TrimSpace(f.Name); n != "" {
		where, args = append(where, "instr(t.name, ?) > 0"), append(args, n)
	}
	for _, c := range []struct {
		col string
		v   int64
	}{{"t.department_id", f.DepartmentID}, {"t.commissioner_id", f.CommissionerID}, {"a.talent_id", f.TalentID}} {
		if c.v != 0 {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	cond := strings.Join(where, " AND ")
	var out talent.Page[Row]
	from := ` FROM card_applications a JOIN talents t ON t.user_id = a.talent_id WHERE ` + cond
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("card: count: %w", err)
	}
	size := f.PageSize
	if size <= 0 || size > 100 {
		size = 10
	}
	page := max(f.Page, 1)
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.talent_id, t.name, t.gender, t.id_type, t.id_number, t.department_id,
		t.category, t.title, COALESCE(t.commissioner_id, 0), a.state, a.version, a.updated_at`+from+
		` ORDER BY a.updated_at DESC, a.id DESC LIMIT ? OFFSET ?`, append(args, size, (page-1)*size)...)
	if err != nil {
		return out, fmt.Errorf("card: list: %w", err)
	}
	defer rows.Close()
	out.Items = []Row{}
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.ID, &r.TalentID, &r.Name, &r.Gender, &r.IDType, &r.IDNumber, &r.DepartmentID,
			&r.Category, &r.Title, &r.CommissionerID, &r.State, &r.Version, &r.UpdatedAt); err != nil {
			return out, err
		}
		r.IDNumber = validate.MaskID(vault.MustOpen(r.IDNumber, &err))
		if err != nil {
			return out, err
		}
		r.StateLabel = StateLabels[r.State]
		if i := currentStep[r.State]; i < len(FlowSteps) {
			r.Step = FlowSteps[i]
		} else {
			r.Step = "办结"
		}
		out.Items = append(out.Items, r)
	}
	return out, rows.Err()
}

// Counts counts the applications u may see, by state, for the home page.
func Counts(ctx context.Context, q store.Querier, u account.User) (map[string]int, error) {
	f := Filter{}.Scope(u)
	query := `SELECT a.state, COUNT(*) FROM card_applications a JOIN talents t ON t.user_id = a.talent_id WHERE 1 = 1`
	var args []any
	if f.CommissionerID != 0 {
		query, args = query+` AND t.commissioner_id = ?`, append(args, f.CommissionerID)
	}
	if f.TalentID != 0 {
		query, args = query+` AND a.talent_id = ?`, append(args, f.TalentID)
	}
	rows, err := q.QueryContext(ctx, query+` GROUP BY a.state`, args...)
	if err != nil {
		return nil, fmt.Errorf("card: counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for s := range StateLabels {
		out[s] = 0
	}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}
