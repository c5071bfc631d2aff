package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
)

// counts remembers how many rows list queries selected, until the next
// write: paging through a list, or twenty colleagues opening the same
// list, counts it once. Each write committed through the DB moves the
// generation on and so forgets every count. A count is read after the
// generation, so one that raced a write is kept under the generation
// before it and never used.
type counts struct {
	generation atomic.Int64
	mu         sync.Mutex
	at         int64
	byQuery    map[string]any
}

// maxCounts bounds how many counts are kept between two writes.
const maxCounts = 1000

// wrote forgets every count: the data changed.
func (c *counts) wrote() { c.generation.Add(1) }

// get returns the count remembered for key in generation gen.
func (c *counts) get(gen int64, key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at != gen {
		return nil, false
	}
	n, ok := c.byQuery[key]
	return n, ok
}

// put remembers n for key, counted in generation gen.
func (c *counts) put(gen int64, key string, n any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at != gen || c.byQuery == nil || len(c.byQuery) >= maxCounts {
		if gen < c.at {
			return
		}
		c.at, c.byQuery = gen, map[string]any{}
	}
	c.byQuery[key] = n
}

// remembered answers query from what db remembers of this generation, or
// runs it with read and remembers the answer (only on a *DB: a
// transaction sees its own writes).
func remembered[T any](q Querier, query string, args []any, read func() (T, error)) (T, error) {
	db, ok := q.(*DB)
	if !ok {
		return read()
	}
	gen := db.counts.generation.Load()
	key := fmt.Sprintf("%s %q", query, args)
	if v, ok := db.counts.get(gen, key); ok {
		if out, ok := v.(T); ok {
			return out, nil
		}
	}
	out, err := read()
	if err == nil {
		db.counts.put(gen, key, out)
	}
	return out, err
}

// countRows runs a COUNT query, from what db remembers when it can.
func countRows(ctx context.Context, q Querier, query string, args ...any) (int, error) {
	return remembered(q, query, args, func() (int, error) {
		var n int
		err := q.QueryRowContext(ctx, query, args...).Scan(&n)
		return n, err
	})
}

// CountBy counts the query's rows by the values of column (such as the
// applications by state for the home page), remembered like Count. The
// answer is shared: callers must not change it.
func (q *Query) CountBy(ctx context.Context, db Querier, column string) (map[string]int, error) {
	if q.err != nil {
		return nil, q.err
	}
	query := "SELECT " + column + ", COUNT(*)" + q.clause() + " GROUP BY " + column
	return remembered(db, query, q.args, func() (map[string]int, error) { return CountsOf(ctx, db, query, q.args...) })
}

// CountsOf runs query, whose rows are a value and a number (such as a
// state and how many rows are in it), and returns the numbers by value.
func CountsOf(ctx context.Context, db Querier, query string, args ...any) (map[string]int, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return nil, err
		}
		out[v] = n
	}
	return out, rows.Err()
}

// ExecContext runs a write on the writer and forgets the remembered counts.
func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	defer db.counts.wrote()
	return db.DB.ExecContext(ctx, query, args...)
}

// Touch runs a write to a table that no list or count reads, such as a
// session's last-seen time. Unlike ExecContext it keeps the counts and
// rows of lists the DB remembers, which the write cannot have changed: an
// office's workstations touch their sessions every few seconds, and each
// touch would otherwise make every list count again.
func (db *DB) Touch(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.DB.ExecContext(ctx, query, args...)
}

// Exec runs a write on the writer and forgets the remembered counts.
func (db *DB) Exec(query string, args ...any) (sql.Result, error) {
	return db.ExecContext(context.Background(), query, args...)
}
