package card

import (
	"huicai/internal/store"
	"huicai/internal/talent"
)

// applicationNames and holderNames keep the names of the applications'
// and the cards' talents in those lists' orders (see talent.ListNames).
var (
	applicationNames = talent.ListNames{Table: "card_application_grams", As: "ag", List: "card_applications", ListAs: "a",
		Order: "updated_at"}
	holderNames = talent.ListNames{Table: "card_grams", As: "cg", List: "cards", ListAs: "c"}
)

// nameIndexMigrations create applicationNames and holderNames.
var nameIndexMigrations = []store.Migration{
	applicationNames.Migration(50, "card: applications by name in the list's order"),
	holderNames.Migration(52, "card: card holders by name in the list's order"),
}

// applicationsNamed is the applications list's query searching names
// along applicationNames, with the order to read it in, when the list is
// in the order of the latest change (latest first, the default, or
// earliest first). ok is false for other orders and for no search.
func applicationsNamed(name, order string) (q *store.Query, indexOrder string, ok bool) {
	earliestFirst, _ := listOrder.By("updated")
	if order != listOrder.Default && order != earliestFirst {
		return nil, "", false
	}
	return applicationNames.Search(name, order == listOrder.Default)
}
