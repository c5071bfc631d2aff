package change

import (
	"context"
	"database/sql"
	"fmt"

	"huicai/internal/account"
	"huicai/internal/card"
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
	return workflow.History(ctx, q, id)
}

// Flow draws a request's 审核流程.
func Flow(r Request, history []Event) []flow.Step {
	return workflow.ReviewFlow.Draw(r.State, history)
}

// RejectReason is the latest 不通过原因 of a request sent back.
func RejectReason(history []Event) string {
	return flow.Latest(history, ActionReject, ActionRefuse)
}

// Row is a request in a list with its talent's key data.
type Row struct {
	ID               int64        `json:"id"`
	TalentID         int64        `json:"talent_id"`
	Name             string       `json:"name"`
	Gender           string       `json:"gender"`
	Mobile           string       `json:"mobile"`
	CardNo           string       `json:"card_no"`
	TypeName         string       `json:"change_type"`
	ChangeDate       string       `json:"change_date"`
	State            string       `json:"state"`
	StateLabel       string       `json:"state_label"`
	Step             string       `json:"step"`
	Version          int          `json:"version"`
	CommissionerName string       `json:"commissioner_name"`
	CreatedAt        string       `json:"created_at"`
	Actions          flow.Actions `json:"actions"`
}

// listOrder is how the requests list sorts: newest first unless asked.
// Each key has an index giving its order (the name through the talents'
// name index).
var listOrder = store.Order{Default: "r.id DESC", Tie: "r.id",
	Keys: map[string]string{"created": "r.id", "change_date": "r.change_date", "state": "r.state"}}

// requestNames keeps the names of the requests' talents in each of the
// list's orders (see talent.ListNames).
var requestNames = talent.ListNames{Table: "change_request_grams", As: "rg", List: "change_requests", ListAs: "r",
	Order: listOrder, Kept: store.KeptOf("change_requests")}

// departmentMigration copies each request's talent's 二级单位 onto it, so
// that the list filtered by 二级单位 reads the request's own column
// (looking the talents up had a middle page read right after a write take
// 6.5 ms at 50,000 talents).
var departmentMigration = talent.KeepCopy(69, "change: a request's 二级单位", "change_requests", "department_id", "id")

// Filter selects requests for a list.
type Filter struct {
	States []string
	// Name is part of a talent's name; IDNumber a whole ID number.
	Name     string
	IDNumber string
	// Sort is a key of listOrder ("change_date", "-state" …), "" for the
	// newest first.
	Sort string
	// Todo keeps the requests waiting for the viewer (待我处理).
	Todo bool
	// DepartmentID keeps the requests of one 二级单位's talents.
	DepartmentID int64
	// From and To bound the change's date (变动时间, YYYY-MM-DD).
	From, To       string
	CommissionerID int64
	Page, PageSize int
	// viewer is who the list is for (set by Scope): rows carry their actions.
	viewer account.User
}

// Scope restricts f to what u may see: a commissioner their own requests.
func (f Filter) Scope(u account.User) Filter {
	if u.Role == account.RoleCommissioner {
		f.CommissionerID = u.ID
	}
	f.viewer = u
	return f
}

// List returns a page of requests, newest first. It reads talents, cards
// and users for the names and numbers it shows, and each talent's newest
// card for whether a rejected request may still be corrected. Those are
// read for the page's rows only (subqueries in rowColumns), so the count
// reads nothing but requests and talents.
func List(ctx context.Context, q store.Querier, f Filter) (store.Page[Row], error) {
	order, err := listOrder.By(f.Sort)
	if err != nil {
		return store.Page[Row]{}, err
	}
	view := store.View[Row]{Key: "r.id", Joins: `JOIN talents t ON t.user_id = r.talent_id`, Columns: rowColumns,
		Scan: rowScanner(f.viewer)}
	query, order, err := talent.ListSearch(requestNames, f.Name, &view, order)
	if err != nil {
		return store.Page[Row]{}, err
	}
	page, err := store.List(ctx, q, f.query(query), view, order, f.Page, f.PageSize)
	if err != nil {
		return page, fmt.Errorf("change: list: %w", err)
	}
	return page, nil
}

// Count is how many requests f selects (its Name aside), as List's total.
func Count(ctx context.Context, q store.Querier, f Filter) (int, error) {
	n, err := f.query(store.From("change_requests r")).Count(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("change: count: %w", err)
	}
	return n, nil
}

// query narrows q, which reads the requests (r) or their name index in
// order, to those f names (its Name aside: see requestNames).
func (f Filter) query(q *store.Query) *store.Query {
	return q.WhereIn("r.state", store.Args(flow.Waiting(f.States, f.Todo, TodoStates[f.viewer.Role]))).
		Dates("from", "r.change_date", f.From, f.To).Match(talent.IDMatch("r.talent_id", f.IDNumber)).
		WhereID("r.department_id", f.DepartmentID).WhereID("r.commissioner_id", f.CommissionerID)
}

const rowColumns = `r.id, r.talent_id, t.name, t.gender, t.mobile,
	(SELECT card_no FROM cards WHERE id = r.card_id), (SELECT name FROM change_types WHERE id = r.type_id),
	r.change_date, r.state, r.version, (SELECT name FROM users WHERE id = r.commissioner_id), r.created_at,
	COALESCE(t.commissioner_id, 0),
	COALESCE((SELECT valid FROM cards WHERE talent_id = r.talent_id ORDER BY id DESC LIMIT 1), 0),
	COALESCE((SELECT expires_on FROM cards WHERE talent_id = r.talent_id ORDER BY id DESC LIMIT 1), '')`

// rowScanner reads list rows for viewer: masked, with the actions viewer
// may take on each.
func rowScanner(viewer account.User) func(rows *sql.Rows) (Row, error) {
	return func(rows *sql.Rows) (Row, error) {
		var r Row
		var bound int64
		var valid bool
		var expires string
		err := rows.Scan(&r.ID, &r.TalentID, &r.Name, &r.Gender, &r.Mobile, &r.CardNo, &r.TypeName, &r.ChangeDate,
			&r.State, &r.Version, &r.CommissionerName, &r.CreatedAt, &bound, &valid, &expires)
		r.Mobile = validate.MaskMobile(vault.MustOpen(r.Mobile, &err))
		r.StateLabel, r.Step = StateLabels[r.State], workflow.ReviewFlow.Current(r.State)
		correctable := bound == viewer.ID && card.Status(valid, expires) == card.StatusValid
		r.Actions = actionsFor(viewer, r.State, correctable)
		return r, err
	}
}
