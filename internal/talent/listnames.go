package talent

import (
	"strings"

	"huicai/internal/store"
)

// ListNames is a copy of the name search index that another area keeps
// for one of its lists, in the list's order, so that a name search in
// that order reads its page along an index: ten rows for a page whether a
// character is in 20 names or 2,000, where walking the list and looking
// each row's talent up read about 560 rows for a page of 王 at any scale.
// Table (read as As) holds the grams of the name of each row's talent
// beside the row's id and, when the list is not in id order, its Order
// column. List is the listed table (id, talent_id; read as ListAs).
// Triggers keep the copy as rows come and go, as their Order changes and
// as talents are renamed. (The copy is the other area's; its grams are
// made as the talents' own are.)
type ListNames struct {
	Table, As    string
	List, ListAs string
	Order        string
}

// Migration creates the copy, fills it from the rows there are, and
// creates its triggers.
func (n ListNames) Migration(version int, name string) store.Migration {
	columns, indexed := "id", "gram, id"
	if n.Order != "" {
		columns, indexed = "id, "+n.Order, "gram, "+n.Order+", id"
	}
	of := func(row string) string { return row + "." + strings.ReplaceAll(columns, ", ", ", "+row+".") }
	insert := `INSERT OR IGNORE INTO ` + n.Table + `(gram, ` + columns + `) `
	statements := []string{
		`CREATE TABLE ` + n.Table + ` (gram TEXT NOT NULL, id INTEGER NOT NULL` + orderColumn(n.Order) + `,
			PRIMARY KEY (id, gram)) WITHOUT ROWID`,
		`CREATE INDEX ` + n.Table + `_order ON ` + n.Table + `(` + indexed + `)`,
		insert + gramsSelect("t.name", of("x"), n.List+" x JOIN talents t ON t.user_id = x.talent_id", ""),
		`CREATE TRIGGER ` + n.Table + `_insert AFTER INSERT ON ` + n.List + ` BEGIN ` +
			insert + gramsSelect("t.name", of("NEW"), "talents t", "t.user_id = NEW.talent_id") + `; END`,
		`CREATE TRIGGER ` + n.Table + `_delete AFTER DELETE ON ` + n.List + ` BEGIN
			DELETE FROM ` + n.Table + ` WHERE id = OLD.id; END`,
		`CREATE TRIGGER ` + n.Table + `_rename AFTER UPDATE OF name ON talents BEGIN
			DELETE FROM ` + n.Table + ` WHERE id IN (SELECT id FROM ` + n.List + ` WHERE talent_id = NEW.user_id); ` +
			insert + gramsSelect("NEW.name", of("x"), n.List+" x", "x.talent_id = NEW.user_id") + `; END`,
	}
	if n.Order != "" {
		statements = append(statements, `CREATE TRIGGER `+n.Table+`_reorder AFTER UPDATE OF `+n.Order+` ON `+n.List+` BEGIN
			UPDATE `+n.Table+` SET `+n.Order+` = NEW.`+n.Order+` WHERE id = NEW.id; END`)
	}
	return store.Migration{Version: version, Name: name, Up: store.Exec(statements...)}
}

func orderColumn(order string) string {
	if order == "" {
		return ""
	}
	return ", " + order + " TEXT NOT NULL"
}

// Search is the list's query for the rows whose talent's name contains
// name, read along the copy (the listed table joined), and the order to
// read it in: the list's, latest (or highest id) first when desc. The
// rest of a search longer than the copy's grams is checked on the
// talent's name. ok is false when there is nothing to search for.
func (n ListNames) Search(name string, desc bool) (q *store.Query, order string, ok bool) {
	gram, part := searchGram(name)
	if part == "" {
		return nil, "", false
	}
	q = store.From(n.Table+" "+n.As).Join("JOIN "+n.List+" "+n.ListAs+" ON "+n.ListAs+".id = "+n.As+".id").
		Where(n.As+".gram = ?", gram)
	if gram != part {
		q.Where(nameContains("(SELECT name FROM talents WHERE user_id = "+n.ListAs+".talent_id)"), part)
	}
	dir := map[bool]string{false: " ASC", true: " DESC"}[desc]
	order = n.As + ".id" + dir
	if n.Order != "" {
		order = n.As + "." + n.Order + dir + ", " + order
	}
	return q, order, true
}
