package card

import (
	"huicai/internal/store"
	"huicai/internal/talent"
)

// applicationNames and holderNames keep the names of the applications'
// and the cards' talents in each of those lists' orders (see
// talent.ListNames).
var (
	applicationNames = talent.ListNames{Table: "card_application_grams", As: "ag", List: "card_applications", ListAs: "a",
		Order: listOrder, Kept: store.KeptOf("card_applications")}
	holderNames = talent.ListNames{Table: "card_grams", As: "cg", List: "cards", ListAs: "c", Order: holderOrder,
		Where: "c.latest = 1", Kept: store.KeptOf("card_holders")}
)

// nameIndexMigrations make applicationNames and holderNames, first in the
// lists' default orders, then again in every order, and log the lists'
// moves (see store.KeepMoves).
var nameIndexMigrations = []store.Migration{
	applicationNames.Migration(50, "card: applications by name in the list's order"),
	holderNames.Migration(52, "card: card holders by name in the list's order"),
	applicationNames.Migration(54, "card: applications by name in each of the list's orders"),
	holderNames.Migration(55, "card: card holders by name in each of the list's orders"),
	holderNames.Moves(67, "commissioner_id", "valid"),
}
