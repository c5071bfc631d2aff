package audit

import (
	"context"
	"fmt"
	"strings"
	"time"

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
type Page struct {
	Items []Row `json:"items"`
	Total int   `json:"total"`
	// PageSize is how many rows a page holds: the size asked for, or
	// store.MaxPageSize when more was asked (the answer says it was capped).
	PageSize int `json:"page_size"`
}

// listOrder is how the log sorts: newest first unless asked.
var listOrder = store.Order{Default: "at DESC, id DESC", Tie: "id", Keys: map[string]string{"at": "at"}}

// List returns the rows matching f.
func List(ctx context.Context, q store.Querier, f Filter) (Page, error) {
	order, err := listOrder.By(f.Sort)
	if err != nil {
		return Page{}, err
	}
	f.PageSize = min(f.PageSize, store.MaxPageSize)
	return list(ctx, q, f, order)
}

func list(ctx context.Context, q store.Querier, f Filter, order string) (Page, error) {
	where, args := []string{"1 = 1"}, []any{}
	if t, err := time.ParseInLocation("2006-01-02", f.From, time.Local); err == nil {
		where, args = append(where, "at >= ?"), append(args, store.Timestamp(t))
	}
	if t, err := time.ParseInLocation("2006-01-02", f.To, time.Local); err == nil {
		where, args = append(where, "at < ?"), append(args, store.Timestamp(t.AddDate(0, 0, 1)))
	}
	if u := strings.TrimSpace(f.User); u != "" {
		where, args = append(where, "username = ?"), append(args, u)
	}
	if a := strings.TrimSpace(f.Action); a != "" {
		where, args = append(where, "action = ?"), append(args, a)
	}
	cond := strings.Join(where, " AND ")
	var out Page
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE `+cond, args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("audit: count: %w", err)
	}
	size := f.PageSize
	if size <= 0 {
		size = 20
	}
	out.PageSize = size
	page := max(f.Page, 1)
	rows, err := q.QueryContext(ctx, `SELECT id, at, COALESCE(user_id, 0), username, role, client, action, object, outcome,
		detail, prev_hash, hash FROM audit_log WHERE `+cond+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, size, (page-1)*size)...)
	if err != nil {
		return out, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	out.Items = []Row{}
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.ID, &r.At, &r.UserID, &r.Username, &r.Role, &r.Client, &r.Action, &r.Object, &r.Outcome,
			&r.Detail, &r.PrevHash, &r.Hash); err != nil {
			return out, fmt.Errorf("audit: list: %w", err)
		}
		out.Items = append(out.Items, r)
	}
	return out, rows.Err()
}

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

// Export returns up to limit rows matching f, oldest first.
func Export(ctx context.Context, q store.Querier, f Filter, limit int) ([]Row, error) {
	f.Page, f.PageSize = 1, limit
	p, err := list(ctx, q, f, "at, id")
	return p.Items, err
}
