package talent

import (
	"strings"
	"unicode/utf8"

	"huicai/internal/store"
	"huicai/internal/validate"
)

// nameGrams built the first name search index: every character and every
// pair of neighbouring characters of each talent's name (ASCII letters in
// lower case, as SQLite's lower() makes them), kept by triggers so that
// every way a name is written keeps it. A search looks its first pair (or
// its one character) up and checks only those talents' names, so it never
// reads the whole talents table. Each list now keeps its own copy
// (ListNames, made with the grams as here) and dropNameGrams dropped this
// one; its positions table stays (names are at most 50 characters; it
// goes to 64).
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

// orderedGrams kept each talent's registration time beside their grams,
// indexed, for a name search in the list's default order (until listNames).
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

// listNames keeps the talents' names in each of the talents list's
// orders: the list's own copy of the name index, which took the place of
// talent_name_grams (dropped with its triggers by dropNameGrams).
var listNames = ListNames{Table: "talent_list_grams", As: "tg", List: "talents", ListAs: "t", Key: "user_id",
	Talent: "user_id", Order: listOrder, Kept: store.KeptOf("talents")}

var (
	listNamesMigration = listNames.Migration(57, "talent: talents by name in each of the list's orders")
	dropNameGrams      = store.Migration{Version: 58, Name: "talent: the name index kept per list", Up: store.Exec(
		`DROP TRIGGER talent_name_grams_insert`,
		`DROP TRIGGER talent_name_grams_update`,
		`DROP TRIGGER talent_name_grams_delete`,
		`DROP TABLE talent_name_grams`,
	)}
)

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
// meet where (if any): for the first index and the lists' copies (ListNames).
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

// KeepCopy is the migration that copies each row's talent's column (such
// as department_id) onto another area's table, which names its talent in
// talent_id, and keeps the copy as rows are added and as talents change
// it, so that the area's lists filter by their own column (along the index
// it creates on column and then order, and followed across writes: see
// store.KeepMoves).
func KeepCopy(version int, name, table, column, order string) store.Migration {
	trigger := table + "_" + strings.TrimSuffix(column, "_id")
	return store.Migration{Version: version, Name: name, Up: store.Exec(
		`ALTER TABLE `+table+` ADD COLUMN `+column+` INTEGER`,
		`UPDATE `+table+` SET `+column+` = (SELECT `+column+` FROM talents WHERE user_id = `+table+`.talent_id)`,
		`CREATE INDEX `+trigger+` ON `+table+`(`+column+`, `+order+`)`,
		`CREATE TRIGGER `+trigger+`_insert AFTER INSERT ON `+table+` BEGIN
			UPDATE `+table+` SET `+column+` = (SELECT `+column+` FROM talents WHERE user_id = NEW.talent_id) WHERE id = NEW.id;
		END`,
		`CREATE TRIGGER `+trigger+`_move AFTER UPDATE OF `+column+` ON talents BEGIN
			UPDATE `+table+` SET `+column+` = NEW.`+column+` WHERE talent_id = NEW.user_id;
		END`,
	)}
}
