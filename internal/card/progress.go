package card

import (
	"context"
	"database/sql"
	"fmt"
	"time"

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
	return workflow.History(ctx, q, id)
}

// Flow draws the 审核流程 of an application from its state and history.
func Flow(a Application, history []Event) []flow.Step {
	return workflow.ReviewFlow.Draw(a.State, history)
}

// RejectReason is the leader's 不通过原因 (their opinion) that sent a
// returned application back, shown at the top of the form.
func RejectReason(a Application, history []Event) string {
	if a.State != StateReturned {
		return ""
	}
	return flow.Latest(history, ActionReject)
}

// listMigration indexes applications for their list's default order (newest
// change first), its state filter and the home page's counts by state, and
// a talent's applications for the lists scoped to talents.
var listMigration = store.Migration{Version: 32, Name: "card: list indexes", Up: store.Exec(
	`CREATE INDEX card_applications_updated ON card_applications(updated_at)`,
	`CREATE INDEX card_applications_state ON card_applications(state, updated_at)`,
	`CREATE INDEX card_applications_talent ON card_applications(talent_id, updated_at)`,
)}

// commissionerMigration copies each application's talent's commissioner
// onto it, kept by triggers as talents are bound, rebound and released,
// and indexes it in the list's order: a commissioner's applications,
// latest changed first, come from the index however many talents they
// serve, where looking them up through their talents read and sorted all
// of them. (The copy is card's: talent's tables stay as they were.)
var commissionerMigration = store.Migration{Version: 42, Name: "card: a commissioner's applications in order", Up: store.Exec(
	`ALTER TABLE card_applications ADD COLUMN commissioner_id INTEGER`,
	`UPDATE card_applications SET commissioner_id = (SELECT commissioner_id FROM talents WHERE user_id = card_applications.talent_id)`,
	`CREATE INDEX card_applications_commissioner ON card_applications(commissioner_id, updated_at)`,
	`CREATE TRIGGER card_applications_commissioner_insert AFTER INSERT ON card_applications BEGIN
		UPDATE card_applications SET commissioner_id = (SELECT commissioner_id FROM talents WHERE user_id = NEW.talent_id)
		WHERE id = NEW.id;
	END`,
	`CREATE TRIGGER card_applications_commissioner_bind AFTER UPDATE OF commissioner_id ON talents BEGIN
		UPDATE card_applications SET commissioner_id = NEW.commissioner_id WHERE talent_id = NEW.user_id;
	END`,
)}

// departmentMigration copies each application's talent's 二级单位 onto
// it, so that the list filtered by 二级单位 reads the application's own
// column (looking the talents up had a middle page read right after a
// write take 10 ms at 50,000 talents).
var departmentMigration = talent.KeepCopy(66, "card: an application's 二级单位", "card_applications", "department_id", "updated_at")

// listOrder is how the applications list sorts: the latest changed first
// unless asked. Each key has an index giving its order (the name through
// the talents' name index).
var listOrder = store.Order{Default: "a.updated_at DESC, a.id DESC", Tie: "a.id",
	Keys: map[string]string{"updated": "a.updated_at", "state": "a.state, a.updated_at"}}

// Row is an application in a list, with its talent's key data.
type Row struct {
	ID             int64        `json:"id"`
	TalentID       int64        `json:"talent_id"`
	Name           string       `json:"name"`
	Gender         string       `json:"gender"`
	IDType         string       `json:"id_type"`
	IDNumber       string       `json:"id_number"`
	DepartmentID   int64        `json:"department_id"`
	Category       string       `json:"category"`
	Title          string       `json:"title"`
	CommissionerID int64        `json:"commissioner_id"`
	State          string       `json:"state"`
	StateLabel     string       `json:"state_label"`
	Step           string       `json:"step"`
	Version        int          `json:"version"`
	UpdatedAt      string       `json:"updated_at"`
	Actions        flow.Actions `json:"actions"`
}

// Filter selects applications for a list.
type Filter struct {
	States []string
	// Name is part of a talent's name; IDNumber a whole ID number.
	Name     string
	IDNumber string
	// Sort is a key of listOrder ("state", "-updated" …), "" for the
	// latest changed first.
	Sort string
	// Todo keeps the applications waiting for the viewer (待我处理).
	Todo bool
	// From and To bound the day of the latest change (YYYY-MM-DD).
	From, To string
	// Month keeps the applications opened in one month (2026-11, China
	// time), as the home page's chart counts them.
	Month          string
	DepartmentID   int64
	CommissionerID int64
	TalentID       int64
	Page, PageSize int
	// viewer is who the list is for (set by Scope): rows carry their actions.
	viewer account.User
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
	f.viewer = u
	return f
}

// query narrows q, which reads the applications (a) or their name index
// in order (see applicationNames), to those f names. Their talents'
// 二级单位 and commissioner are copied onto each application
// (departmentMigration, commissionerMigration).
func (f Filter) query(q *store.Query) *store.Query {
	q.WhereIn("a.state", store.Args(flow.Waiting(f.States, f.Todo, TodoStates[f.viewer.Role]))).
		Days("from", "a.updated_at", f.From, f.To).Match(talent.IDMatch("a.talent_id", f.IDNumber)).
		WhereID("a.talent_id", f.TalentID)
	if f.Month != "" {
		first, last := monthDays(f.Month)
		q.Days("month", "a.created_at", first, last)
	}
	return q.WhereID("a.department_id", f.DepartmentID).WhereID("a.commissioner_id", f.CommissionerID)
}

// joinTalents joins each application to its talent.
const joinTalents = `JOIN talents t ON t.user_id = a.talent_id`

// List returns a page of applications. It reads the talents table for the
// names and departments it filters and shows.
func List(ctx context.Context, q store.Querier, f Filter) (store.Page[Row], error) {
	order, err := listOrder.By(f.Sort)
	if err != nil {
		return store.Page[Row]{}, err
	}
	view := store.View[Row]{Key: "a.id", Joins: joinTalents, Columns: rowColumns, Scan: rowScanner(f.viewer)}
	query, order, err := talent.ListSearch(applicationNames, f.Name, &view, order)
	if err != nil {
		return store.Page[Row]{}, err
	}
	page, err := store.List(ctx, q, f.query(query), view, order, f.Page, f.PageSize)
	if err != nil {
		return page, fmt.Errorf("card: list: %w", err)
	}
	return page, nil
}

const rowColumns = `a.id, a.talent_id, t.name, t.gender, t.id_type, t.id_number, t.department_id, t.category, t.title,
	COALESCE(t.commissioner_id, 0), a.state, a.version, a.updated_at, ` + openOfTalent

// rowScanner reads list rows for viewer: masked, with the actions viewer
// may take on each.
func rowScanner(viewer account.User) func(rows *sql.Rows) (Row, error) {
	return func(rows *sql.Rows) (Row, error) {
		var r Row
		var othersOpen bool
		err := rows.Scan(&r.ID, &r.TalentID, &r.Name, &r.Gender, &r.IDType, &r.IDNumber, &r.DepartmentID,
			&r.Category, &r.Title, &r.CommissionerID, &r.State, &r.Version, &r.UpdatedAt, &othersOpen)
		r.IDNumber = validate.MaskID(vault.MustOpen(r.IDNumber, &err))
		r.StateLabel, r.Step = StateLabels[r.State], workflow.ReviewFlow.Current(r.State)
		r.Actions = actionsFor(viewer, r.State, othersOpen)
		return r, err
	}
}

// monthDays are the first and last day of month (2006-01); a malformed
// month is passed on as it is, for Days to refuse.
func monthDays(month string) (string, string) {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return month, month
	}
	return m.Format("2006-01-02"), m.AddDate(0, 1, -1).Format("2006-01-02")
}
