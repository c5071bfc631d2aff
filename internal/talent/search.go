package talent

import (
	"strings"
	"unicode/utf8"

	"huicai/internal/store"
	"huicai/internal/validate"
)

// nameGrams builds the name search index: every character and every pair
// of neighbouring characters of each talent's name (ASCII letters in lower
// case, as SQLite's lower() makes them), kept by triggers so that every way
// a name is written keeps it. A search looks its first pair (or its one
// character) up here and checks only those talents' names, so it never
// reads the whole talents table. Names are at most 50 characters; the
// positions table goes to 64.
var nameGrams = store.Migration{Version: 35, Name: "talent: name search index", Up: store.Exec(
	`CREATE TABLE talent_name_positions (n INTEGER PRIMARY KEY)`,
	`WITH RECURSIVE p(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM p WHERE n < 64)
		INSERT INTO talent_name_positions(n) SELECT n FROM p`,
	`CREATE TABLE talent_name_grams (
		gram TEXT NOT NULL,
		talent_id INTEGER NOT NULL,
		PRIMARY KEY (gram, talent_id)
	) WITHOUT ROWID`,
	`CREATE TRIGGER talent_name_grams_insert AFTER INSERT ON talents BEGIN `+addGrams("NEW")+` END`,
	`CREATE TRIGGER talent_name_grams_update AFTER UPDATE OF name ON talents BEGIN `+
		dropGrams("OLD")+addGrams("NEW")+` END`,
	`CREATE TRIGGER talent_name_grams_delete AFTER DELETE ON talents BEGIN `+dropGrams("OLD")+` END`,
	`INSERT OR IGNORE INTO talent_name_grams(gram, talent_id)
		SELECT lower(substr(t.name, p.n, 1)), t.user_id FROM talents t JOIN talent_name_positions p ON p.n <= length(t.name)
		UNION SELECT lower(substr(t.name, p.n, 2)), t.user_id FROM talents t JOIN talent_name_positions p ON p.n < length(t.name)`,
)}

// orderedGrams keeps each talent's registration time beside their grams,
// indexed, so that a name search in the list's default order (newest
// first, or oldest first) reads its page along the index: ten index rows
// for a page, whether a character is in 20 names or 2,000.
var orderedGrams = store.Migration{Version: 49, Name: "talent: name search index in the list's order", Up: store.Exec(
	`ALTER TABLE talent_name_grams ADD COLUMN created_at TEXT NOT NULL DEFAULT ''`,
	`UPDATE talent_name_grams SET created_at = (SELECT created_at FROM talents WHERE user_id = talent_id)`,
	`CREATE INDEX talent_name_grams_created ON talent_name_grams(gram, created_at)`,
	`DROP TRIGGER talent_name_grams_insert`,
	`DROP TRIGGER talent_name_grams_update`,
	`CREATE TRIGGER talent_name_grams_insert AFTER INSERT ON talents BEGIN `+addOrderedGrams("NEW")+` END`,
	`CREATE TRIGGER talent_name_grams_update AFTER UPDATE OF name, created_at ON talents BEGIN `+
		dropGrams("OLD")+addOrderedGrams("NEW")+` END`,
)}

// gramsOf selects the grams of row's (NEW or OLD) name with its talent,
// and then with also, another column of row.
func gramsOf(row string, also ...string) string {
	columns := row + `.user_id`
	for _, c := range also {
		columns += `, ` + row + `.` + c
	}
	return gramsSelect(row+`.name`, columns, "", "")
}

// gramsSelect is the SELECT of the name search index's grams of name (an
// expression over from, such as t.name, or over a trigger's NEW row when
// from is empty), each followed by columns, from the rows of from that
// meet where (if any): for the talents' index and its copies (ListNames).
func gramsSelect(name, columns, from, where string) string {
	tables := `talent_name_positions`
	if from != "" {
		tables = from + ` JOIN talent_name_positions`
	}
	if where != "" {
		where = ` AND ` + where
	}
	return `SELECT lower(substr(` + name + `, n, 1)), ` + columns + ` FROM ` + tables + ` WHERE n <= length(` + name + `)` + where + `
		UNION SELECT lower(substr(` + name + `, n, 2)), ` + columns + ` FROM ` + tables + ` WHERE n < length(` + name + `)` + where
}

func addGrams(row string) string {
	return `INSERT OR IGNORE INTO talent_name_grams(gram, talent_id) ` + gramsOf(row) + `;`
}

func addOrderedGrams(row string) string {
	return `INSERT OR IGNORE INTO talent_name_grams(gram, talent_id, created_at) ` + gramsOf(row, "created_at") + `;`
}

func dropGrams(row string) string {
	return `DELETE FROM talent_name_grams WHERE (gram, talent_id) IN (` + gramsOf(row) + `);`
}

// lowerASCII lowers ASCII letters only, as SQLite's lower() does.
func lowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// NameMatch is the condition selecting the talents (idColumn: their
// user_id, as a list's query names it) whose name contains part, with its
// arguments; empty when part is empty. It finds the candidates in the name
// index, so a one-character search on 50,000 names reads only the names
// holding that character; or, written for walking a list in order
// (store.Cond), it looks each row's talent up in the index, so a page of
// a common character's 5,000 names stops after the page is full.
func NameMatch(idColumn, part string) store.Cond {
	gram, part := searchGram(part)
	if part == "" {
		return store.Cond{}
	}
	if gram == part { // one or two characters: the index alone answers
		return store.Cond{SQL: idColumn + ` IN (SELECT talent_id FROM talent_name_grams WHERE gram = ?)`, Args: []any{gram},
			InOrder:     `EXISTS (SELECT 1 FROM talent_name_grams WHERE gram = ? AND talent_id = ` + idColumn + `)`,
			InOrderArgs: []any{gram}}
	}
	return store.Cond{SQL: idColumn + ` IN (SELECT g.talent_id FROM talent_name_grams g JOIN talents n ON n.user_id = g.talent_id
		WHERE g.gram = ? AND ` + nameContains("n.name") + `)`, Args: []any{gram, part},
		InOrder: `EXISTS (SELECT 1 FROM talent_name_grams g JOIN talents n ON n.user_id = g.talent_id
		WHERE g.gram = ? AND g.talent_id = ` + idColumn + ` AND ` + nameContains("n.name") + `)`, InOrderArgs: []any{gram, part}}
}

// searchGram is what a name search looks up in the index (the first two
// characters, or the one) and the part of a name it searches for, both
// lowered as the index is; "" when there is nothing to search for. When
// they differ, the rows the gram finds are checked with nameContains.
func searchGram(part string) (gram, lowered string) {
	part = lowerASCII(strings.TrimSpace(part))
	gram = part
	if _, first := utf8.DecodeRuneInString(part); len(part) > first {
		_, second := utf8.DecodeRuneInString(part[first:])
		gram = part[:first+second]
	}
	return gram, part
}

// nameSearchInOrder is the talents list's query searching names, read
// along the name index, with the order to read it in, when the list is in
// registration order (order: newest first, the default, or oldest first):
// the index holds each talent's registration time, so the page is the next
// rows of the index, checked against the name when the search is longer
// than two characters. ok is false for other orders and for no search.
func nameSearchInOrder(name, order string) (q *store.Query, indexOrder string, ok bool) {
	gram, part := searchGram(name)
	dir := ""
	switch oldestFirst, _ := listOrder.By("created"); order {
	case listOrder.Default:
		dir = " DESC"
	case oldestFirst:
		dir = " ASC"
	}
	if part == "" || dir == "" {
		return nil, "", false
	}
	q = store.From("talent_name_grams g").Join("JOIN talents t ON t.user_id = g.talent_id").Where("g.gram = ?", gram)
	if gram != part {
		q.Where(nameContains("t.name"), part)
	}
	return q, "g.created_at" + dir + ", g.talent_id" + dir, true
}

// nameContains is the condition that a name (nameColumn) contains the
// lowered part of a name its one argument gives (see searchGram).
func nameContains(nameColumn string) string {
	return "instr(lower(" + nameColumn + "), ?) > 0"
}

// IDMatch is the condition selecting the talent (idColumn: their user_id)
// whose ID number is number, of any ID type, looked up by its blind index;
// "" when number is empty. Spaces around it and a lower-case x are
// forgiven.
func IDMatch(idColumn, number string) (string, []any) {
	number = strings.ToUpper(strings.TrimSpace(number))
	if number == "" {
		return "", nil
	}
	indexes := make([]string, len(validate.IDTypes))
	for i, typ := range validate.IDTypes {
		indexes[i] = idIndex(typ, number)
	}
	return idColumn + ` IN (SELECT user_id FROM talents WHERE id_index IN (` + store.Placeholders(len(indexes)) + `))`,
		store.Args(indexes)
}

// Of is the condition selecting the talents (idColumn: their user_id, as
// another area's list names it) whose column (department_id or
// commissioner_id) is id; empty when id is 0. It finds the talents in the
// column's index, or, written for walking a list in order (store.Cond),
// looks each row's talent up.
func Of(idColumn, column string, id int64) store.Cond {
	if id == 0 {
		return store.Cond{}
	}
	return store.Cond{SQL: idColumn + ` IN (SELECT user_id FROM talents WHERE ` + column + ` = ?)`, Args: []any{id},
		InOrder: `(SELECT ` + column + ` FROM talents WHERE user_id = ` + idColumn + `) = ?`, InOrderArgs: []any{id}}
}
