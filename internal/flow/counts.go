package flow

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"huicai/internal/store"
)

// AllCommissioners is the commissioner_id under which a table's kept
// counts (KeepCounts) hold the counts of all its rows.
const AllCommissioners = -1

// KeepCounts is the migration that keeps how many rows of a workflow's
// table (card applications, change requests) are in each state, for each
// commissioner (0: none) and for all (under AllCommissioners), in the
// table counts, updated by triggers as rows come, move on, change hands
// and go: the home page's counts read one row a state instead of every
// row. The table must have the columns state and commissioner_id; also
// are more of its columns to count by (such as a date).
func KeepCounts(version int, name, table, counts string, also ...string) store.Migration {
	by := append([]string{"state"}, also...)
	columns := strings.Join(by, ", ")
	return store.Migration{Version: version, Name: name, Up: store.Exec(
		`CREATE TABLE `+counts+` (
			commissioner_id INTEGER NOT NULL,
			`+strings.Join(by, " NOT NULL, ")+` NOT NULL,
			n INTEGER NOT NULL,
			PRIMARY KEY (commissioner_id, `+columns+`)
		) WITHOUT ROWID`,
		`INSERT INTO `+counts+`(commissioner_id, `+columns+`, n)
			SELECT COALESCE(commissioner_id, 0), `+columns+`, COUNT(*) FROM `+table+` GROUP BY COALESCE(commissioner_id, 0), `+columns+`
			UNION ALL SELECT `+strconv.Itoa(AllCommissioners)+`, `+columns+`, COUNT(*) FROM `+table+` GROUP BY `+columns,
		`CREATE TRIGGER `+counts+`_insert AFTER INSERT ON `+table+` BEGIN `+countRow(counts, by, "NEW", 1)+` END`,
		`CREATE TRIGGER `+counts+`_update AFTER UPDATE OF commissioner_id, `+columns+` ON `+table+` BEGIN `+
			countRow(counts, by, "OLD", -1)+countRow(counts, by, "NEW", 1)+` END`,
		`CREATE TRIGGER `+counts+`_delete AFTER DELETE ON `+table+` BEGIN `+countRow(counts, by, "OLD", -1)+` END`,
	)}
}

// countRow adds by to the counts of row's (NEW or OLD) values of columns:
// its commissioner's and all rows'. Counts by more than the state, taken
// to 0, are deleted: their dates come and go, where the states stay few.
func countRow(counts string, columns []string, row string, by int) string {
	values := make([]string, len(columns))
	key := make([]string, len(columns))
	for i, c := range columns {
		values[i], key[i] = row+"."+c, c+" = "+row+"."+c
	}
	add := fmt.Sprintf(`INSERT INTO %[1]s(commissioner_id, %[2]s, n)
		VALUES (COALESCE(%[3]s.commissioner_id, 0), %[4]s, %[5]d), (%[6]d, %[4]s, %[5]d)
		ON CONFLICT DO UPDATE SET n = n + %[5]d;`,
		counts, strings.Join(columns, ", "), row, strings.Join(values, ", "), by, AllCommissioners)
	if len(columns) == 1 {
		return add
	}
	return add + fmt.Sprintf(`DELETE FROM %[1]s WHERE commissioner_id IN (COALESCE(%[2]s.commissioner_id, 0), %[3]d) AND %[4]s AND n = 0;`,
		counts, row, AllCommissioners, strings.Join(key, " AND "))
}

// Counts reads the kept counts (see KeepCounts) of a commissioner's rows
// by state, or of all rows under AllCommissioners.
func Counts(ctx context.Context, q store.Querier, counts string, commissioner int64) (map[string]int, error) {
	return store.CountsOf(ctx, q, `SELECT state, n FROM `+counts+` WHERE commissioner_id = ?`, commissioner)
}
