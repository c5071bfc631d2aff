package audit

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"huicai/internal/store"
)

// listMigration indexes the log for the 审计日志 page's filters: by action
// (which also lists the actions recorded without reading the log) and by
// time.
var listMigration = store.Migration{Version: 34, Name: "audit: list indexes", Up: store.Exec(
	`CREATE INDEX audit_log_action ON audit_log(action)`,
	`CREATE INDEX audit_log_at ON audit_log(at)`,
)}

// orderMigration indexes the log for its order (newest first by time: the
// time index) under each filter: an action's or a user's rows come from
// their index already in time order.
var orderMigration = store.Migration{Version: 39, Name: "audit: filters in time order", Up: store.Exec(
	`DROP INDEX audit_log_action`,
	`CREATE INDEX audit_log_action ON audit_log(action, at)`,
	`CREATE INDEX audit_log_user ON audit_log(username, at)`,
)}

// Filter selects audit rows for the 审计日志 page.
type Filter struct {
	From     string // date, inclusive (2026-11-01)
	To       string // date, inclusive
	User     string // exact username
	Action   string // exact action
	Sort     string // "at" for oldest first, "" or "-at" for newest first
	Page     int
	PageSize int
}

// Page is one page of audit rows, newest first (by time, then by place in
// the log).
type Page store.Page[Row]

// listOrder is how the log sorts: newest first unless asked.
var listOrder = store.Order{Default: "at DESC, id DESC", Tie: "id", Keys: map[string]string{"at": "at"}}

// List returns a page of the rows matching f, 20 a page unless asked.
func List(ctx context.Context, q store.Querier, f Filter) (Page, error) {
	order, err := listOrder.By(f.Sort)
	if err != nil {
		return Page{}, err
	}
	if f.PageSize <= 0 {
		f.PageSize = 20
	}
	p, err := store.List(ctx, q, f.query(), store.View[Row]{Key: "id", Columns: rowColumns, Scan: scanListed}, order, f.Page, f.PageSize)
	if err != nil {
		return Page{}, fmt.Errorf("audit: list: %w", err)
	}
	return Page(p), nil
}

func scanListed(rows *sql.Rows) (Row, error) { return scanRow(rows) }

// query selects the rows f names.
func (f Filter) query() *store.Query {
	q := store.From("audit_log").Kept(store.KeptOf("audit_log")).Days("from", "at", f.From, f.To)
	if u := strings.TrimSpace(f.User); u != "" {
		q.Where("username = ?", u)
	}
	if a := strings.TrimSpace(f.Action); a != "" {
		q.Where("action = ?", a)
	}
	return q
}

// rowColumns are the columns scanRow reads.
const rowColumns = `id, at, COALESCE(user_id, 0), username, role, client, action, object, outcome, detail, prev_hash, hash`

// Actions lists the distinct actions recorded, for the page's filter. It
// skips along the action index, one seek per action, so its cost grows
// with the number of actions and not with the log.
func Actions(ctx context.Context, q store.Querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, `WITH RECURSIVE actions(action) AS (
			SELECT MIN(action) FROM audit_log
			UNION ALL
			SELECT (SELECT MIN(action) FROM audit_log WHERE action > actions.action) FROM actions WHERE action IS NOT NULL
		) SELECT action FROM actions WHERE action IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("audit: actions: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Export returns up to limit rows matching f in the order the page shows
// them: newest first unless f.Sort asks for the oldest.
func Export(ctx context.Context, q store.Querier, f Filter, limit int) ([]Row, error) {
	order, err := listOrder.By(f.Sort)
	if err != nil {
		return nil, err
	}
	rows, err := f.query().Select(ctx, q, rowColumns, "ORDER BY "+order+" LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("audit: export: %w", err)
	}
	defer rows.Close()
	out := []Row{}
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, fmt.Errorf("audit: export: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
