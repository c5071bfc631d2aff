package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// A write forgets the rows List remembers of the lists it may have
// changed, and the next page deep in a long list is walked to again
// (50,000 rows: a millisecond, most of the time for nothing: an edit that
// moves no row of the list). A whole list whose moves are logged keeps
// its rows across writes instead: triggers write down where each row left
// the list's orders and where it came in (its sort columns' values), and
// a remembered row's place is moved on by the rows that came in before it
// less those that left from before it. The log keeps its latest moves
// only (movesKept); rows remembered from longer ago are forgotten.

// Moves describes the log of a list's moves: the table Log, written by
// triggers on the listed Table as rows come, go and change their Columns
// (every column the list's orders sort by, its key among them). In, if
// given, is the condition a row meets to be in the list (such as being a
// talent's newest card), written over a trigger's row: In("NEW") reads
// NEW's columns; Watch are the columns it reads.
type Moves struct {
	Log, Table string
	Columns    []string
	In         func(row string) string
	Watch      []string
}

// movesKept is how many moves a log keeps; maxRepair how many List
// applies to the rows it remembers before it walks to a page instead.
const (
	movesKept = 1024
	maxRepair = 256
)

// KeepMoves is the migration that creates the log of m's moves and the
// triggers writing it.
func KeepMoves(version int, m Moves) Migration {
	watched := slices.Clone(m.Columns)
	for _, c := range m.Watch {
		if !slices.Contains(watched, c) {
			watched = append(watched, c)
		}
	}
	changed := make([]string, len(watched))
	for i, c := range watched {
		changed[i] = "OLD." + c + " IS NOT NEW." + c
	}
	return Migration{Version: version, Name: "store: the moves of " + m.Table + " in its list", Up: Exec(
		`CREATE TABLE `+m.Log+` (seq INTEGER PRIMARY KEY, sign INTEGER NOT NULL, `+strings.Join(m.Columns, ", ")+`)`,
		`CREATE TRIGGER `+m.Log+`_insert AFTER INSERT ON `+m.Table+` BEGIN `+m.write(1, "NEW")+` END`,
		`CREATE TRIGGER `+m.Log+`_delete AFTER DELETE ON `+m.Table+` BEGIN `+m.write(-1, "OLD")+` END`,
		`CREATE TRIGGER `+m.Log+`_update AFTER UPDATE OF `+strings.Join(watched, ", ")+
			` ON `+m.Table+` WHEN `+strings.Join(changed, " OR ")+` BEGIN `+m.write(-1, "OLD")+m.write(1, "NEW")+` END`,
		`CREATE TRIGGER `+m.Log+`_forget AFTER INSERT ON `+m.Log+` BEGIN
			DELETE FROM `+m.Log+` WHERE seq <= NEW.seq - `+fmt.Sprint(movesKept)+`; END`,
	)}
}

// write is the statement logging that row (NEW or OLD) came into the list
// (sign 1) or left it (-1), if it is in the list.
func (m Moves) write(sign int, row string) string {
	values := make([]string, len(m.Columns))
	for i, c := range m.Columns {
		values[i] = row + "." + c
	}
	where := ""
	if m.In != nil {
		where = " WHERE " + m.In(row)
	}
	return `INSERT INTO ` + m.Log + `(sign, ` + strings.Join(m.Columns, ", ") + `) SELECT ` + fmt.Sprint(sign) + `, ` +
		strings.Join(values, ", ") + where + `;`
}

// latestMove is the query of the log's latest move (0 before the first).
func latestMove(log string) string { return "SELECT COALESCE(MAX(seq), 0) FROM " + log }

// move is a row of a log: a row came in (sign 1) or left (-1) at values.
type move struct {
	sign   int
	values []any
}

// readMoves reads the moves logged after mark from up to mark to, in the
// columns of the sort key; ok is false when the log no longer holds them
// all, or they are more than maxRepair.
func readMoves(ctx context.Context, db Querier, log string, sk sortKey, from, to int64) (moves []move, ok bool, err error) {
	if to-from > maxRepair {
		return nil, false, nil
	}
	columns := make([]string, len(sk.columns))
	for i, c := range sk.columns {
		_, columns[i], _ = strings.Cut(c, ".")
		if columns[i] == "" {
			columns[i] = c
		}
	}
	moves, err = Rows(ctx, db, func(rows *sql.Rows) (move, error) {
		m := move{values: make([]any, len(columns))}
		dest := []any{&m.sign}
		for i := range m.values {
			dest = append(dest, &m.values[i])
		}
		return m, rows.Scan(dest...)
	}, "SELECT sign, "+strings.Join(columns, ", ")+" FROM "+log+" WHERE seq > ? AND seq <= ?", from, to)
	return moves, err == nil && int64(len(moves)) == to-from, err
}

// moved is where the remembered rows are after the moves: each one's place
// moves on by the rows that came in before it in the list's order, less
// those that left from before it.
func moved(rows []anchor, moves []move, sk sortKey) []anchor {
	order := func(x, y []any) int {
		if sk.desc {
			return compareValues(y, x)
		}
		return compareValues(x, y)
	}
	slices.SortFunc(moves, func(x, y move) int { return order(x.values, y.values) })
	sums := make([]int, len(moves)+1)
	for i, m := range moves {
		sums[i+1] = sums[i] + m.sign
	}
	out := make([]anchor, len(rows))
	for i, a := range rows {
		before, _ := slices.BinarySearchFunc(moves, a.values, func(m move, v []any) int { return order(m.values, v) })
		out[i] = anchor{at: a.at + sums[before], values: a.values}
	}
	return out
}

// compareValues compares two rows' values column by column as SQLite
// orders them (with the BINARY collation): NULL first, then numbers, then
// text, then blobs.
func compareValues(x, y []any) int {
	for i := range x {
		if c := compareValue(x[i], y[i]); c != 0 {
			return c
		}
	}
	return 0
}

// compareValue compares two values as SQLite orders them.
func compareValue(x, y any) int {
	if c := cmp.Compare(valueClass(x), valueClass(y)); c != 0 {
		return c
	}
	switch x := x.(type) {
	case int64:
		if y, ok := y.(int64); ok {
			return cmp.Compare(x, y)
		}
		return cmp.Compare(float64(x), y.(float64))
	case float64:
		if y, ok := y.(int64); ok {
			return cmp.Compare(x, float64(y))
		}
		return cmp.Compare(x, y.(float64))
	case string:
		return strings.Compare(x, y.(string))
	case []byte:
		return bytes.Compare(x, y.([]byte))
	}
	return 0
}

// valueClass ranks a value's storage class in SQLite's order.
func valueClass(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case int64, float64:
		return 1
	case string:
		return 2
	default:
		return 3
	}
}

// keptFor returns the rows remembered of list (whose moves log keeps),
// placed after the move mark: those remembered after an earlier move are
// moved by the moves since, and kept so; none when the log no longer
// holds those moves.
func (a *anchors) keptFor(ctx context.Context, db Querier, log, list string, sk sortKey, mark int64) ([]anchor, error) {
	a.mu.Lock()
	k, ok := a.kept[list]
	rows := sortedAnchors(k.rows)
	a.mu.Unlock()
	if !ok || k.mark > mark {
		return nil, nil
	}
	if k.mark == mark {
		return rows, nil
	}
	moves, complete, err := readMoves(ctx, db, log, sk, k.mark, mark)
	if err != nil || !complete {
		return nil, err
	}
	rows = moved(rows, moves, sk)
	a.keep(list, mark, rows...)
	return rows, nil
}

// keep remembers rows of list placed after the move mark of its log: the
// rows placed after an earlier move are forgotten, and rows are not kept
// when others are placed after a later one.
func (a *anchors) keep(list string, mark int64, rows ...anchor) {
	a.mu.Lock()
	defer a.mu.Unlock()
	k, ok := a.kept[list]
	if ok && k.mark > mark {
		return
	}
	if a.kept == nil || !ok && len(a.kept) >= maxAnchoredLists {
		a.kept = map[string]keptRows{}
	}
	if !ok || k.mark < mark || len(k.rows) >= maxAnchors {
		k = keptRows{mark: mark, rows: map[int][]any{}}
		a.kept[list] = k
	}
	for _, r := range rows {
		k.rows[r.at] = r.values
	}
}
