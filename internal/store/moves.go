package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"regexp"
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

// followed is what is known of a list whose moves are followed, as of its
// log's move mark: its number of rows and the rows remembered of it.
type followed struct {
	list  string
	mark  int64
	total int
	rows  []anchor
}

// countList counts the query's rows; for a list whose moves are followed
// it returns what is known of it too (see follow).
func countList(ctx context.Context, db Querier, q *Query, order string) (int, *followed, error) {
	if q.err == nil {
		f, err := follow(ctx, db, q, order)
		if err != nil {
			return 0, nil, err
		}
		if f != nil {
			return f.total, f, nil
		}
	}
	n, err := q.Count(ctx, db)
	return n, nil, err
}

// follow is what is known of the list q selects in order, as of its
// log's latest move, when the list's moves are followed: its moves are
// logged (Kept), the conditions added since are on its own columns
// (plainCondition, checked on the moves as logged) with no join, and
// order can be sought in; nil otherwise. Its count and rows remembered
// after an earlier move are moved on by the moves since; when there are
// none (or too many moves since), it is counted, in the statement that
// reads the log's latest move.
func follow(ctx context.Context, db Querier, q *Query, order string) (*followed, error) {
	cache, _ := anchorsOf(db)
	sk, seekable := parseSortKey(order)
	if cache == nil || !seekable || q.kept.Moves == "" {
		return nil, nil
	}
	read, plain := q.conditionColumns()
	if !plain {
		return nil, nil
	}
	if holds, err := cache.logHolds(ctx, db, q, read); err != nil || !holds {
		return nil, err
	}
	f := &followed{list: listKey(q, sk)}
	if err := db.QueryRowContext(ctx, latestMove(q.kept.Moves)).Scan(&f.mark); err != nil {
		return nil, err
	}
	if cache.moveOn(ctx, db, q, sk, f) {
		return f, nil
	}
	count, args := q.countQuery(), q.args
	if q.kept.Total != "" && q.whole() {
		count, args = q.kept.Total, nil
	}
	err := db.QueryRowContext(ctx, "SELECT ("+count+"), ("+latestMove(q.kept.Moves)+")", args...).Scan(&f.total, &f.mark)
	if err != nil {
		return nil, err
	}
	cache.keep(f.list, f.mark, f.total)
	return f, nil
}

// logHolds reports whether q's list's log holds every column the
// conditions added since Kept read (see conditionColumns): a write changing a
// column it does not hold would change the list without a move. The log's
// columns are asked of the database once.
func (a *anchors) logHolds(ctx context.Context, db Querier, q *Query, read []string) (bool, error) {
	if len(read) == 0 {
		return true, nil
	}
	a.mu.Lock()
	columns, ok := a.logColumns[q.kept.Moves]
	a.mu.Unlock()
	if !ok {
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+q.kept.Moves+" LIMIT 0")
		if err != nil {
			return false, err
		}
		defer rows.Close()
		if columns, err = rows.Columns(); err == nil {
			err = rows.Err()
		}
		if err != nil {
			return false, err
		}
		a.mu.Lock()
		if a.logColumns == nil {
			a.logColumns = map[string][]string{}
		}
		a.logColumns[q.kept.Moves] = columns
		a.mu.Unlock()
	}
	for _, c := range read {
		if !slices.Contains(columns, c) {
			return false, nil
		}
	}
	return true, nil
}

// moveOn fills f from what is remembered of its list, moved on by the
// moves logged since; false when nothing is remembered of it, or the log
// no longer holds those moves, or they are more than maxRepair.
func (a *anchors) moveOn(ctx context.Context, db Querier, q *Query, sk sortKey, f *followed) bool {
	a.mu.Lock()
	k, ok := a.kept[f.list]
	rows := sortedAnchors(k.rows)
	a.mu.Unlock()
	if !ok || k.mark > f.mark || f.mark-k.mark > maxRepair {
		return false
	}
	if k.mark == f.mark {
		f.total, f.rows = k.total, rows
		return true
	}
	moves, complete, err := readMoves(ctx, db, q, sk, k.mark, f.mark)
	if err != nil || !complete {
		return false
	}
	f.total = k.total
	for _, m := range moves {
		f.total += m.sign
	}
	f.rows = moved(rows, moves, sk)
	a.keep(f.list, f.mark, f.total, f.rows...)
	return true
}

// readMoves reads the moves of q's list logged after the mark from, up to
// the mark to: those the conditions added to q since Kept select, checked
// on the rows' values as logged (the log read under the list's alias), in
// the sort key's columns; complete is false when the log no longer holds
// them all.
func readMoves(ctx context.Context, db Querier, q *Query, sk sortKey, from, to int64) (moves []move, complete bool, err error) {
	var first sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT MIN(seq) FROM "+q.kept.Moves).Scan(&first); err != nil {
		return nil, false, err
	}
	if first.Int64 > from+1 {
		return nil, false, nil
	}
	conds := append([]string{"seq > ?", "seq <= ?"}, q.where[q.heldWhere:]...)
	args := append([]any{from, to}, q.args[q.heldArgs:]...)
	logged, err := Rows(ctx, db, scanKeyed(len(sk.columns)), "SELECT sign, "+strings.Join(sk.columns, ", ")+
		" FROM "+q.kept.Moves+" "+q.alias()+" WHERE "+strings.Join(conds, " AND "), args...)
	if err != nil {
		return nil, false, err
	}
	moves = make([]move, len(logged))
	for i, r := range logged {
		moves[i] = move{sign: int(r.key), values: r.values}
	}
	return moves, true, nil
}

// move is a row of a log: a row came in (sign 1) or left (-1) at values.
type move struct {
	sign   int
	values []any
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

// keepIfStill keeps rows of f's list, read after f's move mark, if the
// log has not moved since: rows read beside a write may be of the moment
// after it, and would be moved by it again.
func (a *anchors) keepIfStill(ctx context.Context, db Querier, log string, f *followed, rows ...anchor) error {
	var now int64
	if err := db.QueryRowContext(ctx, latestMove(log)).Scan(&now); err != nil {
		return err
	}
	if now == f.mark {
		a.keep(f.list, f.mark, f.total, rows...)
	}
	return nil
}

// keep remembers list's count and rows as of the move mark of its log:
// what was remembered as of an earlier move is forgotten, and nothing is
// kept when more is known as of a later one.
func (a *anchors) keep(list string, mark int64, total int, rows ...anchor) {
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
		k = keptRows{mark: mark, total: total, rows: map[int][]any{}}
		a.kept[list] = k
	}
	for _, r := range rows {
		k.rows[r.at] = r.values
	}
}

// conditionToken is a token of a condition: a name (a column, maybe
// with its table's alias, or a keyword), a parameter, a string or number,
// an operator or a bracket.
var conditionToken = regexp.MustCompile(`^(?:([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)|\?|'(?:[^']|'')*'|[0-9]+|<=|>=|<>|!=|=|<|>|,|\(|\)|\s+)`)

// conditionWords are the keywords a plain condition may hold.
var conditionWords = map[string]bool{"AND": true, "OR": true, "NOT": true, "IN": true, "IS": true, "NULL": true,
	"BETWEEN": true, "LIKE": true, "ESCAPE": true}

// plainCondition returns the columns cond reads, and whether it reads
// nothing but the listed table's own columns (named with alias, when the
// list has one): no subquery, no function, no other table. Such a
// condition selects the same rows whether it is checked on the list or on
// its moves as logged.
func plainCondition(cond, alias string) (columns []string, plain bool) {
	for rest := cond; rest != ""; {
		m := conditionToken.FindStringSubmatch(rest)
		if m == nil {
			return nil, false
		}
		rest = rest[len(m[0]):]
		name := m[1]
		if name == "" || conditionWords[strings.ToUpper(name)] {
			continue
		}
		table, column, qualified := strings.Cut(name, ".")
		if qualified && table != alias || !qualified && (alias != "" || denied[strings.ToUpper(name)]) ||
			strings.HasPrefix(strings.TrimSpace(rest), "(") {
			return nil, false
		}
		if !qualified {
			column = name
		}
		columns = append(columns, column)
	}
	return columns, true
}

// denied are the words that would make a condition more than a plain one.
var denied = map[string]bool{"SELECT": true, "FROM": true, "WHERE": true, "EXISTS": true, "JOIN": true, "UNION": true,
	"WITH": true, "VALUES": true, "CASE": true}
