package perf

import (
	"strings"
	"testing"

	"huicai/internal/card"
	"huicai/internal/validate"
)

// TestPlan checks the plans of the scales the suite runs: the batch-ready
// applications the issue asks for, every talent with one application,
// changes enough, and card receipts few enough to issue different numbers.
func TestPlan(t *testing.T) {
	for _, n := range []int{100, 1000, 10000, 50000} {
		p := NewPlan(n)
		ready := p.count(card.StateUnitApproved)
		closed := p.count(card.StateIssued) + p.count(card.StateProvinceRejected)
		switch {
		case len(p.Applications) != n:
			t.Errorf("%d talents: %d applications", n, len(p.Applications))
		case float64(ready) < min(9000, 0.18*float64(n)):
			t.Errorf("%d talents: %d ready for a batch", n, ready)
		case len(p.Changes) != n*2/5:
			t.Errorf("%d talents: %d changes", n, len(p.Changes))
		case (closed+p.BatchSize-1)/p.BatchSize > 90:
			t.Errorf("%d talents: %d card receipts", n, (closed+p.BatchSize-1)/p.BatchSize)
		case p.Commissioners%p.Departments != 0:
			t.Errorf("%d talents: %d commissioners over %d departments", n, p.Commissioners, p.Departments)
		}
	}
	if got := NewPlan(50000).count(card.StateUnitApproved); got != 9000 {
		t.Errorf("50,000 talents: %d ready for a batch, want 9,000", got)
	}
}

// TestPeople checks that the seeded people's ID numbers are valid and
// different, and that rare characters come up in their names.
func TestPeople(t *testing.T) {
	seen := map[string]bool{}
	rare := 0
	for i := range 20000 {
		p := personAt(i)
		if _, problem := validate.ParseResidentID(p.idNumber, firstBirth.AddDate(100, 0, 0)); problem != "" || seen[p.idNumber] {
			t.Fatalf("person %d: %s: %q, seen before: %v", i, p.idNumber, problem, seen[p.idNumber])
		}
		seen[p.idNumber] = true
		for _, r := range rareChars {
			if strings.Contains(p.name, r) {
				rare++
			}
		}
	}
	if rare < 200 {
		t.Errorf("%d names of 20,000 with a rare character", rare)
	}
}
