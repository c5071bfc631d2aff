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
	byQuery    map[string]int
}

// maxCounts bounds how many counts are kept between two writes.
const maxCounts = 1000

// wrote forgets every count: the data changed.
func (c *counts) wrote() { c.generation.Add(1) }

// get returns the count remembered for key in generation gen.
func (c *counts) get(gen int64, key string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at != gen {
		return 0, false
	}
	n, ok := c.byQuery[key]
	return n, ok
}

// put remembers n for key, counted in generation gen.
func (c *counts) put(gen int64, key string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at != gen || c.byQuery == nil || len(c.byQuery) >= maxCounts {
		if gen < c.at {
			return
		}
		c.at, c.byQuery = gen, map[string]int{}
	}
	c.byQuery[key] = n
}

// countRows runs a COUNT query, from what db remembers when it can.
func countRows(ctx context.Context, q Querier, query string, args ...any) (int, error) {
	db, ok := q.(*DB)
	if !ok {
		var n int
		err := q.QueryRowContext(ctx, query, args...).Scan(&n)
		return n, err
	}
	gen := db.counts.generation.Load()
	key := fmt.Sprintf("%s %q", query, args)
	if n, ok := db.counts.get(gen, key); ok {
		return n, nil
	}
	var n int
	if err := db.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, err
	}
	db.counts.put(gen, key, n)
	return n, nil
}

// ExecContext runs a write on the writer and forgets the remembered counts.
func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	defer db.counts.wrote()
	return db.DB.ExecContext(ctx, query, args...)
}

// Exec runs a write on the writer and forgets the remembered counts.
func (db *DB) Exec(query string, args ...any) (sql.Result, error) {
	return db.ExecContext(context.Background(), query, args...)
}
