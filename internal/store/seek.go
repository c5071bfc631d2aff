package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// A page deep in a list is found by stepping over the rows before it in an
// index (OFFSET), which costs as many steps as there are rows before it.
// List shortens the walk: it starts from whichever is nearest of the list's
// first row, its last row (walking the index backwards, so the last page
// of 50,000 rows costs as little as the first) and the rows it remembers
// from pages read since the last write (an anchor: the row's place in the
// list and its sort columns, from which it seeks in the index). Reading
// a page remembers its first and last rows, so asking again for a page, or
// for its neighbours, seeks instead of walking. Rows of a whole list whose
// moves are logged are remembered across writes too (see moves.go).

// sortKey is an ORDER BY that List can seek in: plain columns of the
// listed table, NOT NULL (a seek from a row's values skips NULLs), all in
// one direction, the last one unique (the tie).
type sortKey struct {
	columns []string
	desc    bool
}

// sortColumn is a column an ORDER BY may name: "a.updated_at" or "at".
var sortColumn = regexp.MustCompile(`^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$`)

// parseSortKey reads an ORDER BY such as "a.updated_at DESC, a.id DESC";
// ok is false for one List cannot seek in (an expression, or directions
// that differ).
func parseSortKey(order string) (k sortKey, ok bool) {
	for i, term := range strings.Split(order, ",") {
		fields := strings.Fields(term)
		if len(fields) == 0 || len(fields) > 2 || !sortColumn.MatchString(fields[0]) {
			return sortKey{}, false
		}
		desc := false
		if len(fields) == 2 {
			switch strings.ToUpper(fields[1]) {
			case "ASC":
			case "DESC":
				desc = true
			default:
				return sortKey{}, false
			}
		}
		if i > 0 && desc != k.desc {
			return sortKey{}, false
		}
		k.columns, k.desc = append(k.columns, fields[0]), desc
	}
	return k, len(k.columns) > 0
}

// order is the ORDER BY walking the list forwards, or backwards.
func (k sortKey) order(backwards bool) string {
	dir := " ASC"
	if k.desc != backwards {
		dir = " DESC"
	}
	return strings.Join(k.columns, dir+", ") + dir
}

// from is the condition keeping the rows at and after an anchor (its sort
// columns' values) in the list's order, or, backwards, the rows before it.
func (k sortKey) from(backwards bool) string {
	op := map[bool]string{false: ">=", true: "<="}[k.desc]
	if backwards {
		op = map[bool]string{false: "<", true: ">"}[k.desc]
	}
	if len(k.columns) == 1 {
		return k.columns[0] + " " + op + " ?"
	}
	return "(" + strings.Join(k.columns, ", ") + ") " + op + " (" + Placeholders(len(k.columns)) + ")"
}

// anchor is a row of a list: its place (0 for the first row) and the
// values of its sort columns.
type anchor struct {
	at     int
	values []any
}

// walk is how List reaches a page: from an anchor (nil: from an end of
// the list), forwards or backwards, stepping over skip rows.
type walk struct {
	from      *anchor
	backwards bool
	skip      int
}

// planWalk picks the shortest walk to the rows at..at+n-1 of a list of
// total rows, given the anchors remembered for it; of two as short, the
// one forwards, from the earlier start.
func planWalk(at, n, total int, anchors []anchor) walk {
	best := walk{skip: at}
	better := func(w walk) {
		if w.skip < best.skip || w.skip == best.skip && best.backwards && !w.backwards {
			best = w
		}
	}
	better(walk{backwards: true, skip: total - (at + n)})
	for i := range anchors {
		a := &anchors[i]
		if a.at <= at {
			better(walk{from: a, skip: at - a.at})
		}
		if a.at >= at+n {
			better(walk{from: a, backwards: true, skip: a.at - (at + n)})
		}
	}
	return best
}

// anchors remembers rows of lists, until the next write: see List. Those
// of lists whose moves are logged are kept across writes, each list's
// with the latest move they are placed after (see moves.go).
type anchors struct {
	mu     sync.Mutex
	at     int64
	byList map[string]map[int][]any
	kept   map[string]keptRows
	// logColumns are the columns each log of moves holds (see logHolds).
	logColumns map[string][]string
}

// keptRows are the count and the rows remembered of a list whose moves
// are followed, as of its log's move mark.
type keptRows struct {
	mark  int64
	total int
	rows  map[int][]any
}

// maxAnchoredLists bounds how many lists keep anchors between two writes,
// maxAnchors how many anchors one list keeps.
const (
	maxAnchoredLists = 200
	maxAnchors       = 256
)

// get returns the anchors remembered for list in generation gen.
func (a *anchors) get(gen int64, list string) []anchor {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.at != gen {
		return nil
	}
	return sortedAnchors(a.byList[list])
}

// sortedAnchors are the rows remembered in m, in their order in the list.
func sortedAnchors(m map[int][]any) []anchor {
	out := make([]anchor, 0, len(m))
	for at, values := range m {
		out = append(out, anchor{at: at, values: values})
	}
	slices.SortFunc(out, func(x, y anchor) int { return x.at - y.at })
	return out
}

// put remembers rows of list, read in generation gen.
func (a *anchors) put(gen int64, list string, rows ...anchor) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.at != gen || a.byList == nil || len(a.byList) >= maxAnchoredLists {
		if gen < a.at {
			return
		}
		a.at, a.byList = gen, map[string]map[int][]any{}
	}
	m := a.byList[list]
	if m == nil || len(m) >= maxAnchors {
		m = map[int][]any{}
		a.byList[list] = m
	}
	for _, r := range rows {
		m[r.at] = r.values
	}
}

// anchorable reports whether values can be sought from: text and numbers
// compare in SQL as they sort; NULL would match nothing.
func anchorable(values []any) bool {
	for _, v := range values {
		switch v.(type) {
		case int64, float64, string:
		default:
			return false
		}
	}
	return true
}

// pageKeys returns the keys of the rows offset..offset+limit-1 of the
// query's total rows in order, walking to them the shortest way it knows;
// f is what is known of a list whose moves are followed (see follow), nil
// for another.
func pageKeys(ctx context.Context, db Querier, q *Query, key, order string, offset, limit, total int, f *followed) ([]int64, error) {
	sk, ok := parseSortKey(order)
	if !ok {
		rows, err := q.Select(ctx, db, key, "ORDER BY "+order+" LIMIT ? OFFSET ?", limit, offset)
		if err != nil {
			return nil, err
		}
		return collect(rows, ScanInt64)
	}
	n := min(limit, total-offset)
	if n <= 0 {
		return nil, nil
	}
	cache, gen := anchorsOf(db)
	list := listKey(q, sk)
	var known []anchor
	switch {
	case f != nil:
		known = f.rows
	case cache != nil:
		known = cache.get(gen, list)
	}
	w := planWalk(offset, n, total, known)
	found, err := walkRows(ctx, db, q, key, sk, w, n)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	keys := make([]int64, len(found))
	for i, r := range found {
		keys[i] = r.key
	}
	first, last := found[0], found[len(found)-1]
	if cache == nil || len(found) < n || !anchorable(first.values) || !anchorable(last.values) {
		return keys, nil
	}
	rows := []anchor{{at: offset, values: first.values}, {at: offset + n - 1, values: last.values}}
	if f == nil {
		cache.put(gen, list, rows...)
		return keys, nil
	}
	return keys, cache.keepIfStill(ctx, db, q.kept.Moves, f, rows...)
}

// listKey names the list q selects in the order sk, for what is remembered
// of it.
func listKey(q *Query, sk sortKey) string {
	return q.clause() + fmt.Sprintf(" %q ORDER BY ", q.args) + sk.order(false)
}

// keyedRow is a row found by a walk: its key and sort columns' values.
type keyedRow struct {
	key    int64
	values []any
}

// walkRows takes the walk w and returns the n rows it reaches, in the
// list's order.
func walkRows(ctx context.Context, db Querier, q *Query, key string, sk sortKey, w walk, n int) ([]keyedRow, error) {
	from := q
	if w.from != nil {
		from = q.clone().Where(sk.from(w.backwards), w.from.values...)
	}
	rows, err := from.Select(ctx, db, key+", "+strings.Join(sk.columns, ", "),
		"ORDER BY "+sk.order(w.backwards)+" LIMIT ? OFFSET ?", n, w.skip)
	if err != nil {
		return nil, err
	}
	found, err := collect(rows, scanKeyed(len(sk.columns)))
	if w.backwards {
		slices.Reverse(found)
	}
	return found, err
}

// scanKeyed scans a row's first column, an integer (a key, or a move's
// sign), then the values of the given number of columns (sort columns).
func scanKeyed(columns int) func(rows *sql.Rows) (keyedRow, error) {
	return func(rows *sql.Rows) (keyedRow, error) {
		r := keyedRow{values: make([]any, columns)}
		dest := []any{&r.key}
		for i := range r.values {
			dest = append(dest, &r.values[i])
		}
		return r, rows.Scan(dest...)
	}
}

// anchorsOf is where db remembers rows of lists, and the generation it is
// in; nil outside a DB (a transaction sees its own writes). A type that
// embeds *DB (such as a test's recorder of queries) shares its memory.
func anchorsOf(q Querier) (*anchors, int64) {
	db, ok := q.(interface{ listAnchors() (*anchors, int64) })
	if !ok {
		return nil, 0
	}
	return db.listAnchors()
}

// listAnchors is where db remembers rows of lists, and its generation.
func (db *DB) listAnchors() (*anchors, int64) { return db.anchors, db.counts.generation.Load() }
