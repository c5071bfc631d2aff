package card

import (
	"context"
	"fmt"

	"huicai/internal/account"
	"huicai/internal/flow"
	"huicai/internal/store"
)

// countsMigration keeps how many applications each commissioner's talents
// (0: unbound talents) have in each state, and how many all have, so that
// the home page's counts read one row a state instead of every
// application (see flow.KeepCounts). A bound talent's application is
// counted under the commissioner copied onto it (commissionerMigration).
var countsMigration = flow.KeepCounts(43, "card: counts by commissioner and state", "card_applications", "card_application_counts")

// Counts counts the applications u may see, by state, for the home page:
// the leader's and a commissioner's from the kept counts, a talent's from
// their own applications.
func Counts(ctx context.Context, q store.Querier, u account.User) (map[string]int, error) {
	var counted map[string]int
	var err error
	switch u.Role {
	case account.RoleTalent:
		counted, err = store.From("card_applications").Where("talent_id = ?", u.ID).CountBy(ctx, q, "state")
	case account.RoleCommissioner:
		counted, err = flow.Counts(ctx, q, "card_application_counts", u.ID)
	default:
		counted, err = flow.Counts(ctx, q, "card_application_counts", flow.AllCommissioners)
	}
	if err != nil {
		return nil, fmt.Errorf("card: counts: %w", err)
	}
	out := map[string]int{}
	for s := range StateLabels {
		out[s] = counted[s]
	}
	return out, nil
}
