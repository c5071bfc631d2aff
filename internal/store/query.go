package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Placeholders is n comma-separated parameters, "?, ?, ?", for an IN list.
func Placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Args is values as query arguments.
func Args[T any](values []T) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

// Page is one page of a list and how many items the whole list holds.
type Page[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
	// PageSize is how many items a page holds: the size asked for, or
	// MaxPageSize when more was asked (the answer says it was capped).
	PageSize int `json:"page_size"`
}

// MaxPageSize is the most items one page of a list holds.
const MaxPageSize = 100

// Paging is the LIMIT and OFFSET of a page: pages count from 1, no size
// means 10, and a size over MaxPageSize is capped to it.
func Paging(page, size int) (limit, offset int) {
	if size <= 0 {
		size = 10
	}
	size = min(size, MaxPageSize)
	return size, (max(page, 1) - 1) * size
}

// Query is a list query under construction: what it reads from (tables and
// joins) and the conditions that select its rows, with their arguments.
type Query struct {
	from  string
	where []string
	args  []any
}

// From starts a query over from, a table with its joins.
func From(from string) *Query { return &Query{from: from} }

// Where adds a condition with its arguments.
func (q *Query) Where(cond string, args ...any) *Query {
	q.where, q.args = append(q.where, cond), append(q.args, args...)
	return q
}

// Match adds a condition built elsewhere (such as a name search) unless
// it is empty, which filters nothing.
func (q *Query) Match(cond string, args []any) *Query {
	if cond == "" {
		return q
	}
	return q.Where(cond, args...)
}

// WhereIn adds "column IN (…)" over values unless there are none, which
// filters nothing (like an empty choice in a list's filter).
func (q *Query) WhereIn(column string, values []any) *Query {
	if len(values) == 0 {
		return q
	}
	return q.Where(column+" IN ("+Placeholders(len(values))+")", values...)
}

// WhereID adds "column = id" unless id is 0, which filters nothing.
func (q *Query) WhereID(column string, id int64) *Query {
	if id == 0 {
		return q
	}
	return q.Where(column+" = ?", id)
}

func (q *Query) clause() string {
	if len(q.where) == 0 {
		return " FROM " + q.from
	}
	return " FROM " + q.from + " WHERE " + strings.Join(q.where, " AND ")
}

// Select runs "SELECT columns FROM … WHERE … tail" with tail's arguments
// after the conditions' (tail: GROUP BY, ORDER BY, LIMIT …).
func (q *Query) Select(ctx context.Context, db Querier, columns, tail string, args ...any) (*sql.Rows, error) {
	return db.QueryContext(ctx, "SELECT "+columns+q.clause()+" "+tail, append(append([]any{}, q.args...), args...)...)
}

// Count is how many rows the query selects.
func (q *Query) Count(ctx context.Context, db Querier) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, "SELECT COUNT(*)"+q.clause(), q.args...).Scan(&n)
	return n, err
}

// List reads one page of the query's rows in order (an ORDER BY list),
// scanning each with scan, and counts the whole list.
func List[T any](ctx context.Context, db Querier, q *Query, columns, order string, page, size int,
	scan func(rows *sql.Rows) (T, error)) (Page[T], error) {
	out := Page[T]{Items: []T{}}
	var err error
	if out.Total, err = q.Count(ctx, db); err != nil {
		return out, fmt.Errorf("store: count: %w", err)
	}
	limit, offset := Paging(page, size)
	out.PageSize = limit
	rows, err := q.Select(ctx, db, columns, "ORDER BY "+order+" LIMIT ? OFFSET ?", limit, offset)
	if err != nil {
		return out, fmt.Errorf("store: list: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		item, err := scan(rows)
		if err != nil {
			return out, err
		}
		out.Items = append(out.Items, item)
	}
	return out, rows.Err()
}

// Rows runs query and scans every row with scan, closing the rows before
// it returns (so that the caller may query the same connection again) and
// reporting an error met while iterating.
func Rows[T any](ctx context.Context, db Querier, scan func(rows *sql.Rows) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		item, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, rows.Err()
}

// ScanInt64 scans a row of one integer column (for Rows).
func ScanInt64(rows *sql.Rows) (int64, error) {
	var v int64
	err := rows.Scan(&v)
	return v, err
}
