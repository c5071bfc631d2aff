package perf

import (
	"math"
	"math/rand/v2"

	"huicai/internal/card"
	"huicai/internal/change"
)

// share is a state and the part of the items that end in it.
type share struct {
	state string
	part  float64
}

// cardShares are the application states of a unit with years of history;
// card.StateSupplement takes what they leave. The batch-ready state
// (单位审核通过, what the leader's 汇总提交 picks up) is rounded up, so
// that a 50,000 unit has its 9,000. Every application past the unit costs
// a PDF form and a place in a sealed package, so most card holders hold
// cards recorded as issued before the program (Plan.ExistingCards).
var cardShares = []share{
	{card.StateUnitApproved, 0.18}, {card.StateUnitReview, 0.18}, {card.StateReturned, 0.07},
	{card.StateBatched, 0.02}, {card.StateProvinceReview, 0.03}, {card.StateIssued, 0.08},
	{card.StateProvinceRejected, 0.02},
}

// changeShares are the change requests' states.
var changeShares = []share{
	{change.StateUnitReview, 0.25}, {change.StateRejected, 0.08}, {change.StateApproved, 0.12},
	{change.StateWithdrawn, 0.05}, {change.StateDeleted, 0.05}, {change.StateBatched, 0.05},
	{change.StateProvinceReview, 0.10}, {change.StateAccepted, 0.25}, {change.StateProvinceRejected, 0.05},
}

// Plan is what an installation seeded for a number of talents holds.
type Plan struct {
	Talents     int
	Departments int
	// Commissioners are the approved commissioners, who have the talents
	// bound to them; a few more wait for review, were refused or disabled.
	Commissioners                             int
	PendingStaff, RefusedStaff, DisabledStaff int
	// Applications is each talent's application's state, by talent index.
	Applications []string
	// ExistingCards are cards issued before the unit used the program
	// (登记已有惠才卡), recorded for talents without one.
	ExistingCards int
	// Changes is each change request's state, in the order they are made.
	Changes []string
	// BatchSize is the most items one batch carries.
	BatchSize int
	// Logins are sign-in rows added to the audit log.
	Logins int
}

// NewPlan is the plan for n talents. The same n always gives the same plan.
func NewPlan(n int) Plan {
	p := Plan{Talents: n, Departments: len(departmentNames), PendingStaff: 3, RefusedStaff: 2, DisabledStaff: 1,
		ExistingCards: n / 5, Logins: n / 2, BatchSize: 200}
	p.Commissioners = min(max(10*int(math.Round(float64(n)/5000)), 10), 100)
	p.Applications = spread(n, cardShares, card.StateSupplement, 1)
	p.Changes = spread(n*2/5, changeShares, change.StateUnitReview, 2)
	closed := p.count(card.StateIssued) + p.count(card.StateProvinceRejected)
	// Each receipt issues card numbers that differ only in the receipt's
	// hundredth of a second (pack.MakeReceipt): at most 90 card receipts.
	p.BatchSize = max(p.BatchSize, (closed+89)/90)
	return p
}

// spread gives n items their states by shares, rest taking what is left,
// shuffled the same way for the same seed.
func spread(n int, shares []share, rest string, seed uint64) []string {
	out := make([]string, 0, n)
	for i, s := range shares {
		k := int(float64(n) * s.part)
		if i == 0 {
			k = int(math.Ceil(float64(n) * s.part))
		}
		for range min(k, n-len(out)) {
			out = append(out, s.state)
		}
	}
	for len(out) < n {
		out = append(out, rest)
	}
	r := rand.New(rand.NewPCG(seed, 13))
	r.Shuffle(n, func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// count is how many applications end in state.
func (p Plan) count(state string) int {
	n := 0
	for _, s := range p.Applications {
		if s == state {
			n++
		}
	}
	return n
}
