package card

import (
	"context"
	"fmt"
	"strconv"

	"huicai/internal/account"
	"huicai/internal/store"
)

// countsMigration keeps how many applications each commissioner's talents
// (0: unbound talents) have in each state, and how many all have (under
// allCommissioners), updated by triggers as applications open, move on
// and change hands, so that the home page's counts read one row a state
// instead of every application. A bound talent's application is counted
// under the commissioner copied onto it (commissionerMigration).
var countsMigration = store.Migration{Version: 43, Name: "card: counts by commissioner and state", Up: store.Exec(
	`CREATE TABLE card_application_counts (
		commissioner_id INTEGER NOT NULL,
		state TEXT NOT NULL,
		n INTEGER NOT NULL,
		PRIMARY KEY (commissioner_id, state)
	) WITHOUT ROWID`,
	`INSERT INTO card_application_counts(commissioner_id, state, n)
		SELECT COALESCE(commissioner_id, 0), state, COUNT(*) FROM card_applications GROUP BY 1, 2
		UNION ALL SELECT `+strconv.Itoa(allCommissioners)+`, state, COUNT(*) FROM card_applications GROUP BY 2`,
	`CREATE TRIGGER card_application_counts_insert AFTER INSERT ON card_applications BEGIN `+countApplication("NEW", 1)+` END`,
	`CREATE TRIGGER card_application_counts_update AFTER UPDATE OF state, commissioner_id ON card_applications BEGIN `+
		countApplication("OLD", -1)+countApplication("NEW", 1)+` END`,
	`CREATE TRIGGER card_application_counts_delete AFTER DELETE ON card_applications BEGIN `+countApplication("OLD", -1)+` END`,
)}

// allCommissioners is the commissioner_id under which
// card_application_counts keeps the counts of all applications.
const allCommissioners = -1

// countApplication adds by to the counts of row's (NEW or OLD) state: its
// commissioner's and all applications'.
func countApplication(row string, by int) string {
	return fmt.Sprintf(`INSERT INTO card_application_counts(commissioner_id, state, n)
		VALUES (COALESCE(%[1]s.commissioner_id, 0), %[1]s.state, %[2]d), (%[3]d, %[1]s.state, %[2]d)
		ON CONFLICT (commissioner_id, state) DO UPDATE SET n = n + %[2]d;`, row, by, allCommissioners)
}

// Counts counts the applications u may see, by state, for the home page:
// the leader's and a commissioner's from the kept counts, a talent's from
// their own applications.
func Counts(ctx context.Context, q store.Querier, u account.User) (map[string]int, error) {
	var query string
	var args []any
	switch u.Role {
	case account.RoleTalent:
		query, args = `SELECT state, COUNT(*) FROM card_applications WHERE talent_id = ? GROUP BY state`, []any{u.ID}
	case account.RoleCommissioner:
		query, args = `SELECT state, n FROM card_application_counts WHERE commissioner_id = ?`, []any{u.ID}
	default:
		query, args = `SELECT state, n FROM card_application_counts WHERE commissioner_id = ?`, []any{allCommissioners}
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("card: counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for s := range StateLabels {
		out[s] = 0
	}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("card: counts: %w", err)
		}
		if _, ok := StateLabels[state]; ok {
			out[state] += n
		}
	}
	return out, rows.Err()
}
