package store

import (
	"regexp"
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
// for its neighbours, seeks instead of walking.

// sortKey is an ORDER BY that List can seek in: plain columns of the
// listed table, all in one direction, the last one unique (the tie).
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
// total rows, given the anchors remembered for it.
func planWalk(at, n, total int, anchors []anchor) walk {
	best := walk{skip: at}
	if back := total - (at + n); back < best.skip {
		best = walk{backwards: true, skip: back}
	}
	for i := range anchors {
		a := &anchors[i]
		if a.at <= at && at-a.at < best.skip {
			best = walk{from: a, skip: at - a.at}
		}
		if a.at >= at+n && a.at-(at+n) < best.skip {
			best = walk{from: a, backwards: true, skip: a.at - (at + n)}
		}
	}
	return best
}

// anchors remembers rows of lists, until the next write: see List.
type anchors struct {
	mu     sync.Mutex
	at     int64
	byList map[string]map[int][]any
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
	out := make([]anchor, 0, len(a.byList[list]))
	for at, values := range a.byList[list] {
		out = append(out, anchor{at: at, values: values})
	}
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
