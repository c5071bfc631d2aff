package talent

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"huicai/internal/store"
)

// ListNames is a list's own copy of the name search index, kept in each of
// the list's orders, so that a name search reads its page along an index
// whatever the list is sorted by: ten rows for a page whether a character
// is in 20 names or 2,000 (walking the list in its order and looking each
// row's talent up read about 560 rows for a page of 王, at any scale, and
// the first rows of a sort by name that match 王 sat thousands of rows in).
// Table (read as As) holds the grams of the name of each row's talent
// beside the row's key (as id) and the columns the list sorts by, with an
// index for the list's default order and for each of its sort keys. List
// is the listed table (read as ListAs): the talents themselves, or another
// area's rows naming a talent. Its rows are keyed by its column Key (id
// unless said) and name their talent in its column Talent (talent_id
// unless said); its Order ties rows by its Key. Where, if given, is the
// condition every row of the list meets (such as being a talent's newest
// card), and Kept, if given, is what triggers keep of the whole list (see
// store.KeptOf and Moves). Triggers keep the copy as rows come and go, as
// their sort columns change and as talents are renamed.
type ListNames struct {
	Table, As    string
	List, ListAs string
	Key, Talent  string
	Order        store.Order
	Where        string
	Kept         store.Kept
}

// key and talent are the list's columns holding its rows' keys and their
// talents.
func (n ListNames) key() string    { return cmp.Or(n.Key, "id") }
func (n ListNames) talent() string { return cmp.Or(n.Talent, "talent_id") }

// sorts are the copy's orders: the columns of the list's default order
// and of each of its sort keys, before the key that ties them ([] for the
// order of keys), each once.
func (n ListNames) sorts() ([][]string, error) {
	orders := []string{n.Order.Default}
	for _, key := range n.Order.Allowed() {
		orders = append(orders, n.Order.Keys[key]+", "+n.Order.Tie)
	}
	var out [][]string
	for _, order := range orders {
		columns, _, ok := n.columnsOf(order)
		if !ok {
			return nil, fmt.Errorf("talent: %s: the order %q is not of %s's own columns, tied by its %s", n.Table, order, n.List, n.key())
		}
		if !slices.ContainsFunc(out, func(c []string) bool { return slices.Equal(c, columns) }) {
			out = append(out, columns)
		}
	}
	return out, nil
}

// columnsOf reads an ORDER BY of the list's own columns in one direction
// ("a.state ASC, a.updated_at ASC, a.id ASC"), ending with its key: the
// columns before the key, and the direction. ok is false for any other.
func (n ListNames) columnsOf(order string) (columns []string, dir string, ok bool) {
	tied := false
	for i, term := range strings.Split(order, ",") {
		fields := strings.Fields(term)
		if len(fields) == 0 || len(fields) > 2 {
			return nil, "", false
		}
		d := "ASC"
		if len(fields) == 2 {
			d = strings.ToUpper(fields[1])
		}
		column, own := strings.CutPrefix(fields[0], n.ListAs+".")
		if !own || i > 0 && d != dir || d != "ASC" && d != "DESC" {
			return nil, "", false
		}
		dir = d
		switch {
		case column == n.key():
			tied = true
		case tied:
			return nil, "", false
		default:
			columns = append(columns, column)
		}
	}
	return columns, dir, tied
}

// copied are the list's columns the copy holds beside the row's id.
func copied(sorts [][]string) []string {
	var out []string
	for _, columns := range sorts {
		for _, c := range columns {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// Migration makes the copy afresh (dropping any made before): creates it
// and its indexes, fills it from the rows there are, and creates its
// triggers.
func (n ListNames) Migration(version int, name string) store.Migration {
	sorts, err := n.sorts()
	if err != nil {
		return store.Migration{Version: version, Name: name, Up: func(context.Context, *sql.Tx) error { return err }}
	}
	held := copied(sorts)
	statements := append(n.create(sorts, held),
		n.insert(held)+gramsSelect("t.name", n.of("x", held), n.List+" x JOIN talents t ON t.user_id = x."+n.talent(), ""))
	return store.Migration{Version: version, Name: name, Up: store.Exec(append(statements, n.triggers(held)...)...)}
}

// Moves is the migration logging the list's moves in Kept.Moves, in the
// columns of its orders and also those (the columns its filters read, so
// that a filtered list is followed too: see store.KeepMoves); a row's
// place in the list depends on Where, if given, too.
func (n ListNames) Moves(version int, also ...string) store.Migration {
	sorts, err := n.sorts()
	if err != nil {
		return store.Migration{Version: version, Name: "talent: the moves of " + n.List, Up: func(context.Context, *sql.Tx) error { return err }}
	}
	columns := append([]string{n.key()}, copied(sorts)...)
	for _, c := range also {
		if !slices.Contains(columns, c) {
			columns = append(columns, c)
		}
	}
	m := store.Moves{Log: n.Kept.Moves, Table: n.List, Columns: columns}
	if n.Where != "" {
		own := regexp.MustCompile(`\b` + n.ListAs + `\.([a-z_]+)`)
		for _, c := range own.FindAllStringSubmatch(n.Where, -1) {
			m.Watch = append(m.Watch, c[1])
		}
		m.In = func(row string) string { return own.ReplaceAllString(n.Where, row+".$1") }
	}
	return store.KeepMoves(version, m)
}

// create drops the copy and its triggers if they are there and creates
// the copy with an index for each of its orders. The id is typed as the
// list's keys, so that a trigger's NEW.id finds its rows along the primary
// key (an untyped id made every reorder a scan of the copy); the columns
// held are left untyped, keeping the list's values as they are.
func (n ListNames) create(sorts [][]string, held []string) []string {
	statements := []string{}
	for _, trigger := range []string{"insert", "delete", "rename", "reorder"} {
		statements = append(statements, `DROP TRIGGER IF EXISTS `+n.Table+`_`+trigger)
	}
	statements = append(statements, `DROP TABLE IF EXISTS `+n.Table, `CREATE TABLE `+n.Table+` (gram TEXT NOT NULL,
		id INTEGER NOT NULL`+strings.Join(append([]string{""}, held...), ", ")+`, PRIMARY KEY (id, gram)) WITHOUT ROWID`)
	for _, s := range sorts {
		indexed := append(append([]string{"gram"}, s...), "id")
		statements = append(statements, `CREATE INDEX `+strings.Join(append([]string{n.Table}, indexed[1:]...), "_")+
			` ON `+n.Table+`(`+strings.Join(indexed, ", ")+`)`)
	}
	return statements
}

// insert begins the statement adding rows to the copy: its columns (the
// gram, the id and the columns held) follow.
func (n ListNames) insert(held []string) string {
	return `INSERT OR IGNORE INTO ` + n.Table + `(gram, ` + strings.Join(append([]string{"id"}, held...), ", ") + `) `
}

// of is the list's columns the copy holds of row (x, NEW): its key and
// the columns held.
func (n ListNames) of(row string, held []string) string {
	listed := make([]string, 0, len(held)+1)
	for _, c := range append([]string{n.key()}, held...) {
		listed = append(listed, row+"."+c)
	}
	return strings.Join(listed, ", ")
}

// triggers keep the copy: as the list's rows are added and deleted, as
// talents are renamed, and as the columns held change.
func (n ListNames) triggers(held []string) []string {
	statements := []string{
		`CREATE TRIGGER ` + n.Table + `_insert AFTER INSERT ON ` + n.List + ` BEGIN ` +
			n.insert(held) + gramsSelect("t.name", n.of("NEW", held), "talents t", "t.user_id = NEW."+n.talent()) + `; END`,
		`CREATE TRIGGER ` + n.Table + `_delete AFTER DELETE ON ` + n.List + ` BEGIN
			DELETE FROM ` + n.Table + ` WHERE id = OLD.` + n.key() + `; END`,
		`CREATE TRIGGER ` + n.Table + `_rename AFTER UPDATE OF name ON talents BEGIN
			DELETE FROM ` + n.Table + ` WHERE id IN (SELECT ` + n.key() + ` FROM ` + n.List + ` WHERE ` + n.talent() + ` = NEW.user_id); ` +
			n.insert(held) + gramsSelect("NEW.name", n.of("x", held), n.List+" x", "x."+n.talent()+" = NEW.user_id") + `; END`,
	}
	if len(held) == 0 {
		return statements
	}
	set := make([]string, len(held))
	for i, c := range held {
		set[i] = c + ` = NEW.` + c
	}
	return append(statements, `CREATE TRIGGER `+n.Table+`_reorder AFTER UPDATE OF `+strings.Join(held, ", ")+
		` ON `+n.List+` BEGIN UPDATE `+n.Table+` SET `+strings.Join(set, ", ")+` WHERE id = NEW.`+n.key()+`; END`)
}

// Search is the list's query for the rows whose talent's name contains
// name, read along the copy (the listed table joined), and the order to
// read it in: the copy's for order, the list's (one of Order's). The rest
// of a search longer than the copy's grams is checked on the talent's
// name. q is nil when there is nothing to search for; an order the copy
// is not kept in is an error.
func (n ListNames) Search(name, order string) (q *store.Query, indexOrder string, err error) {
	gram, part := searchGram(name)
	if part == "" {
		return nil, "", nil
	}
	sorts, err := n.sorts()
	if err != nil {
		return nil, "", err
	}
	columns, dir, ok := n.columnsOf(order)
	if !ok || !slices.ContainsFunc(sorts, func(c []string) bool { return slices.Equal(c, columns) }) {
		return nil, "", fmt.Errorf("talent: %s is not kept in the order %q", n.Table, order)
	}
	q = store.From(n.Table+" "+n.As).Join("JOIN "+n.List+" "+n.ListAs+" ON "+n.ListAs+"."+n.key()+" = "+n.As+".id").
		Where(n.As+".gram = ?", gram)
	if gram != part {
		q.Where(nameContains("(SELECT name FROM talents WHERE user_id = "+n.ListAs+"."+n.talent()+")"), part)
	}
	terms := make([]string, 0, len(columns)+1)
	for _, c := range append(columns, "id") {
		terms = append(terms, n.As+"."+c+" "+dir)
	}
	return q, strings.Join(terms, ", "), nil
}

// ListSearch is a list's query and order for a search of name along n,
// with what the list shows (v): the whole list in order (its total read as
// kept when n has one) when there is nothing to search for; else the
// search along the copy in its order, and v reads the page's rows from the
// list in order.
func ListSearch[T any](n ListNames, name string, v *store.View[T], order string) (*store.Query, string, error) {
	search, indexOrder, err := n.Search(name, order)
	if err != nil || search == nil {
		q := store.From(n.List + " " + n.ListAs)
		if n.Where != "" {
			q.Where(n.Where)
		}
		q.Kept(n.Kept)
		return q, order, err
	}
	if n.Where != "" {
		search.Where(n.Where)
	}
	v.From, v.Order = n.List+" "+n.ListAs, order
	return search, indexOrder, nil
}
