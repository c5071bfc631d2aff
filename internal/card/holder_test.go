package card_test

import (
	"database/sql"
	"fmt"
	"slices"
	"testing"

	"huicai/internal/account"
	"huicai/internal/card"
	"huicai/internal/clock"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/testdb"
	"huicai/internal/testkit"
)

// holdersOf lists the talents holding the cards on a commissioner's card
// holders list, newest card first, checking the list's total.
func holdersOf(t *testing.T, db *store.DB, u account.User) []int64 {
	t.Helper()
	page, err := card.Holders(ctx, db, card.HolderFilter{CommissionerID: u.ID})
	if err != nil || page.Total != len(page.Items) {
		t.Fatalf("%s: %d of %d holders (%v)", u.Username, len(page.Items), page.Total, err)
	}
	out := []int64{}
	for _, h := range page.Items {
		out = append(out, h.TalentID)
	}
	return out
}

// recordCard records an existing card for a talent, issued a year ago.
func recordCard(t *testing.T, db *store.DB, leader account.User, talentID int64, no string) {
	t.Helper()
	in := card.ExistingCard{TalentID: talentID, CardNo: no, IssuedOn: clock.Now().AddDate(-1, 0, 0).Format("2006-01-02")}
	if _, err := card.RecordExisting(ctx, db, leader, in, ""); err != nil {
		t.Fatal(err)
	}
}

// TestCommissionerHoldersFollowBinding: a commissioner's card holders are
// the talents bound to them now holding a card, through binding, rebinding
// and release, for cards recorded before and after.
func TestCommissionerHoldersFollowBinding(t *testing.T) {
	f := newFixture(t)
	check := func(when string, commissioner, other []int64) {
		t.Helper()
		if got := holdersOf(t, f.db, f.commissioner); !slices.Equal(got, commissioner) {
			t.Errorf("%s: %s lists %v, want %v", when, f.commissioner.Username, got, commissioner)
		}
		if got := holdersOf(t, f.db, f.other); !slices.Equal(got, other) {
			t.Errorf("%s: %s lists %v, want %v", when, f.other.Username, got, other)
		}
	}
	first := f.talentUser.ID
	recordCard(t, f.db, f.leader, first, "鲁惠才2025000001")
	check("bound", []int64{first}, []int64{})
	testdb.Bind(t, f.db, f.leader, f.other, first)
	check("rebound", []int64{}, []int64{first})
	err := f.db.Tx(ctx, func(tx *sql.Tx) error { return talent.Unbind(ctx, tx, f.leader.Actor("test"), first) })
	if err != nil {
		t.Fatal(err)
	}
	check("released", []int64{}, []int64{})

	tal, err := talent.ByID(ctx, f.db, first)
	if err != nil {
		t.Fatal(err)
	}
	later := testdb.Talent(t, f.db, "houlai", 2, tal.DepartmentID)
	testdb.Bind(t, f.db, f.leader, f.commissioner, later.ID, first)
	recordCard(t, f.db, f.leader, later.ID, "鲁惠才2025000002")
	check("a card recorded for a bound talent", []int64{later.ID, first}, []int64{})
}

// TestCommissionerHoldersOfCardsRecordedBefore opens a database that a
// program knowing schema version 50 left with cards of bound talents in
// it: migrating it gives each card its talent's commissioner.
func TestCommissionerHoldersOfCardsRecordedBefore(t *testing.T) {
	dir := t.TempDir()
	old := testdb.OpenIn(t, dir, 50)
	leader := testdb.Leader(t, old)
	dept := testdb.Department(t, old, "物理学院")
	commissioner := testdb.Commissioner(t, old, leader, "zhuanyuan", 1, dept, true)
	var bound []int64
	for i := range 3 {
		tal := testdb.Talent(t, old, fmt.Sprintf("user%d", i), i+2, dept)
		recordCard(t, old, leader, tal.ID, fmt.Sprintf("鲁惠才202500000%d", i))
		if i != 1 {
			testdb.Bind(t, old, leader, commissioner, tal.ID)
			bound = append([]int64{tal.ID}, bound...)
		}
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	db := testdb.OpenIn(t, dir, 0)
	if got := holdersOf(t, db, commissioner); !slices.Equal(got, bound) {
		t.Errorf("after migrating: %v, want %v", got, bound)
	}
}

// TestHolderNameSearchKeepsTheListsOrder searches card holders by name
// newest card first and by expiry or issue, both ways (read along the
// cards' own name index in that order), over pages, alone and scoped to a commissioner or a 二级单位, with a
// talent holding two cards: the pages hold the holders the whole list
// shows in that order whose names match, each once, with their newest
// card.
func TestHolderNameSearchKeepsTheListsOrder(t *testing.T) {
	f := newFixture(t)
	physics := testdb.Department(t, f.db, "物理学院")
	var renewed int64
	for i, name := range []string{"王甲", "李王", "王小乙", "张三", "王小丙", "刘四", "王五"} {
		r := testdb.Registration(fmt.Sprintf("user%d", i), i+10, physics)
		r.Name = name
		tal, err := talent.Register(ctx, f.db, r, testdb.FastHash, "", card.Open)
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			testdb.Bind(t, f.db, f.leader, f.commissioner, tal.ID)
		}
		recordCard(t, f.db, f.leader, tal.ID, fmt.Sprintf("鲁惠才20250000%02d", i))
		if i == 2 {
			renewed = tal.ID
		}
	}
	held, err := card.HeldBy(ctx, f.db, renewed)
	if err != nil {
		t.Fatal(err)
	}
	err = f.db.Tx(ctx, func(tx *sql.Tx) error { return card.Invalidate(ctx, tx, held.ID, "遗失", clock.Today()) })
	if err != nil {
		t.Fatal(err)
	}
	recordCard(t, f.db, f.leader, renewed, "鲁惠才2025000099")
	list := func(filter card.HolderFilter) (cards []int64, names []string) {
		t.Helper()
		for filter.Page, filter.PageSize = 1, 2; ; filter.Page++ {
			page, err := card.Holders(ctx, f.db, filter)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) == 0 {
				return cards, names
			}
			for _, h := range page.Items {
				cards, names = append(cards, h.ID), append(names, h.Name)
			}
		}
	}
	for _, sort := range []string{"", "expires", "-expires", "issued", "-issued"} {
		for _, search := range []card.HolderFilter{{Name: "王"}, {Name: "王小"}, {Name: "王小丙"}, {Name: "无此人"},
			{Name: "王", CommissionerID: f.commissioner.ID}, {Name: "王小", DepartmentID: physics}} {
			search.Sort = sort
			testkit.CheckSearch(t, fmt.Sprintf("%+v", search), search.Name, func(name string) ([]int64, []string) {
				filter := search
				filter.Name = name
				return list(filter)
			})
		}
	}
}

// TestHoldersAreEachTalentsNewestCard opens a database that a program
// knowing schema version 59 left with a talent holding a card recorded
// after an ended one: migrating it lists each talent once, with their
// newest card; cards recorded after it (a renewal, a new holder) keep it
// so, in the list, its count and its sorts.
func TestHoldersAreEachTalentsNewestCard(t *testing.T) {
	dir := t.TempDir()
	old := testdb.OpenIn(t, dir, 59)
	leader := testdb.Leader(t, old)
	dept := testdb.Department(t, old, "物理学院")
	var talents []int64
	for i := range 3 {
		talents = append(talents, testdb.Talent(t, old, fmt.Sprintf("user%d", i), i+2, dept).ID)
	}
	renew := func(db *store.DB, talentID int64, no string) {
		t.Helper()
		held, err := card.HeldBy(ctx, db, talentID)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Tx(ctx, func(tx *sql.Tx) error { return card.Invalidate(ctx, tx, held.ID, "遗失", clock.Today()) })
		if err != nil {
			t.Fatal(err)
		}
		recordCard(t, db, leader, talentID, no)
	}
	recordCard(t, old, leader, talents[0], "鲁惠才2025000001")
	recordCard(t, old, leader, talents[1], "鲁惠才2025000002")
	renew(old, talents[0], "鲁惠才2025000003")
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	db := testdb.OpenIn(t, dir, 0)
	check := func(when string, want ...string) {
		t.Helper()
		for _, sort := range []string{"", "issued", "-expires"} {
			page, err := card.Holders(ctx, db, card.HolderFilter{Sort: sort, PageSize: 50})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range page.Items {
				got = append(got, h.CardNo)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) || page.Total != len(want) {
				t.Errorf("%s, sorted %q: %v of %d, want %v", when, sort, got, page.Total, want)
			}
		}
	}
	check("after migrating", "鲁惠才2025000002", "鲁惠才2025000003")
	renew(db, talents[1], "鲁惠才2025000004")
	recordCard(t, db, leader, talents[2], "鲁惠才2025000005")
	renew(db, talents[0], "鲁惠才2025000006")
	check("after renewals and a new holder", "鲁惠才2025000004", "鲁惠才2025000005", "鲁惠才2025000006")
}
