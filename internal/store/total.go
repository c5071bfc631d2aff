package store

// KeepTotal is the migration that keeps table's number of rows in the
// table <table>_total (one row, n), by triggers as rows are added and
// deleted, so that a list of the whole table reads its total instead of
// counting its rows again after every write (see Query.Total and TotalOf).
func KeepTotal(version int, table string) Migration {
	total := table + "_total"
	return Migration{Version: version, Name: "store: the number of rows of " + table + " kept", Up: Exec(
		`CREATE TABLE `+total+` (n INTEGER NOT NULL)`,
		`INSERT INTO `+total+`(n) SELECT COUNT(*) FROM `+table,
		`CREATE TRIGGER `+total+`_insert AFTER INSERT ON `+table+` BEGIN UPDATE `+total+` SET n = n + 1; END`,
		`CREATE TRIGGER `+total+`_delete AFTER DELETE ON `+table+` BEGIN UPDATE `+total+` SET n = n - 1; END`,
	)}
}

// Kept is what triggers keep of a whole list: Total, the query of its
// number of rows (see TotalOf), and Moves, the table logging its moves
// (see KeepMoves), if kept.
type Kept struct{ Total, Moves string }

// KeptOf is what is kept of the list name: its total in <name>_total and
// its moves in <name>_moves.
func KeptOf(name string) Kept { return Kept{Total: TotalOf(name), Moves: name + "_moves"} }

// TotalOf is the query reading the number kept in the table <name>_total:
// a table's rows, kept by KeepTotal, or a list's, kept by its area's own
// triggers (such as card_holders_total).
func TotalOf(table string) string { return "SELECT n FROM " + table + "_total" }
