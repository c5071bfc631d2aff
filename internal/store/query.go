package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
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

// Query is a list query under construction: the table it lists (with its
// alias), the joins its conditions need, and the conditions that select
// its rows, with their arguments.
type Query struct {
	from  string
	joins []string
	where []string
	args  []any
	// err is a filter that could not be read (such as a malformed day):
	// the query answers it instead of rows.
	err error
	// kept is what triggers keep of the list the query selected when it
	// was given; it stands until a condition or join is added after it
	// (held: how many there were then).
	kept                           Kept
	heldWhere, heldJoins, heldArgs int
}

// fail makes the query answer err.
func (q *Query) fail(err error) {
	if q.err == nil {
		q.err = err
	}
}

// From starts a query over table, such as "card_applications a".
func From(table string) *Query { return &Query{from: table} }

// Join adds a join that a condition needs (once, however often asked).
// Only conditions should ask for joins: counting and paging then read no
// table a filter does not need, and the page's rows are joined to what
// they show afterwards (View.Joins).
func (q *Query) Join(join string) *Query {
	if !slices.Contains(q.joins, join) {
		q.joins = append(q.joins, join)
	}
	return q
}

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
	out := " FROM " + q.from
	for _, j := range q.joins {
		out += " " + j
	}
	if len(q.where) > 0 {
		out += " WHERE " + strings.Join(q.where, " AND ")
	}
	return out
}

// Select runs "SELECT columns FROM … WHERE … tail" with tail's arguments
// after the conditions' (tail: GROUP BY, ORDER BY, LIMIT …).
func (q *Query) Select(ctx context.Context, db Querier, columns, tail string, args ...any) (*sql.Rows, error) {
	if q.err != nil {
		return nil, q.err
	}
	return db.QueryContext(ctx, "SELECT "+columns+q.clause()+" "+tail, append(append([]any{}, q.args...), args...)...)
}

// Kept says what triggers keep of the list the query selects as it
// stands (a whole table, or a list every row of which meets the query's
// conditions so far): its number of rows, which Count reads instead of
// counting them until a condition or join is added, and the log of its
// moves, by which List keeps the count and the rows it remembers across
// writes, also when conditions on the list's own columns are added (see
// moves.go).
func (q *Query) Kept(k Kept) *Query {
	q.kept, q.heldWhere, q.heldJoins, q.heldArgs = k, len(q.where), len(q.joins), len(q.args)
	return q
}

// whole reports whether the query still selects the list it was given
// Kept for.
func (q *Query) whole() bool { return len(q.where) == q.heldWhere && len(q.joins) == q.heldJoins }

// Count is how many rows the query selects; on a *DB it is remembered
// until the next write.
func (q *Query) Count(ctx context.Context, db Querier) (int, error) {
	if q.err != nil {
		return 0, q.err
	}
	if q.kept.Total != "" && q.whole() {
		return countRows(ctx, db, q.kept.Total)
	}
	return countRows(ctx, db, q.countQuery(), q.args...)
}

// conditionColumns are the columns the conditions added since Kept read;
// plain is false unless the query selects the list it was given Kept for,
// narrowed by plain conditions on the list's own columns only (see
// plainCondition): those can be checked on the list's moves as logged.
func (q *Query) conditionColumns() (read []string, plain bool) {
	if len(q.joins) != q.heldJoins {
		return nil, false
	}
	for _, c := range q.where[q.heldWhere:] {
		columns, ok := plainCondition(c, q.alias())
		if !ok {
			return nil, false
		}
		read = append(read, columns...)
	}
	return read, true
}

// alias is the listed table's alias ("a" of "card_applications a"), or
// "" for none.
func (q *Query) alias() string {
	if f := strings.Fields(q.from); len(f) == 2 {
		return f[1]
	}
	return ""
}

// countQuery counts the query's rows.
func (q *Query) countQuery() string { return "SELECT COUNT(*)" + q.clause() }

// View is what a list shows of each row: Key is the listed table's
// INTEGER PRIMARY KEY (such as a.id), Joins the joins its Columns read,
// scanned by Scan.
type View[T any] struct {
	Key     string
	Joins   string
	Columns string
	Scan    func(rows *sql.Rows) (T, error)
	// From and Order, when the query walks another table than the one the
	// list shows (such as a search index kept in the list's order), are
	// the table the page's rows are read from (with Joins) and their order
	// there.
	From, Order string
}

// List reads one page of the query's rows in order (an ORDER BY list over
// the listed table's columns), and counts the whole list. The page is
// found by key alone, stepping over the rows before it in an index, and
// only its rows are then read and joined to what they show. The walk to
// the page starts from the nearest of the list's two ends and the rows
// remembered from pages read since the last write (see seek.go), or,
// for a list whose moves are logged, since any write (see moves.go): a
// page deep in 50,000 rows costs about as much as the first.
func List[T any](ctx context.Context, db Querier, q *Query, v View[T], order string, page, size int) (Page[T], error) {
	out := Page[T]{Items: []T{}}
	total, f, err := countList(ctx, db, q, order)
	if err != nil {
		if q.err != nil {
			return out, err
		}
		return out, fmt.Errorf("store: count: %w", err)
	}
	limit, offset := Paging(page, size)
	out.Total, out.PageSize = total, limit
	keys, err := pageKeys(ctx, db, q, v.Key, order, offset, limit, total, f)
	if err != nil {
		return out, fmt.Errorf("store: list: %w", err)
	}
	if len(keys) == 0 {
		return out, nil
	}
	from := q.from
	if v.From != "" {
		from, order = v.From, v.Order
	}
	out.Items, err = Rows(ctx, db, v.Scan, "SELECT "+v.Columns+" FROM "+from+" "+v.Joins+" WHERE "+v.Key+
		" IN ("+Placeholders(len(keys))+") ORDER BY "+order, Args(keys)...)
	return out, err
}

// clone copies the query, so that conditions added to the copy leave it
// as it was.
func (q *Query) clone() *Query {
	c := *q
	c.joins, c.where, c.args = slices.Clone(q.joins), slices.Clone(q.where), slices.Clone(q.args)
	return &c
}

// Rows runs query and scans every row with scan, closing the rows before
// it returns (so that the caller may query the same connection again) and
// reporting an error met while iterating.
func Rows[T any](ctx context.Context, db Querier, scan func(rows *sql.Rows) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scan)
}

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(rows *sql.Rows) (T, error)) ([]T, error) {
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
