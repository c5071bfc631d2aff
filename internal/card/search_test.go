package card_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"huicai/internal/card"
	"huicai/internal/clock"
	"huicai/internal/sheetin"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/testdb"
	"huicai/internal/testkit"
)

// named lists every application f selects, page by page (four a page), as
// ids with their talents' names, checking each page's total.
func named(t *testing.T, db *store.DB, f card.Filter) (ids []int64, names []string) {
	t.Helper()
	total := -1
	for f.Page, f.PageSize = 1, 4; ; f.Page++ {
		page, err := card.List(ctx, db, f)
		if err != nil || total >= 0 && page.Total != total {
			t.Fatalf("%+v: %d found, %d before (%v)", f, page.Total, total, err)
		}
		total = page.Total
		if len(page.Items) == 0 {
			break
		}
		for _, r := range page.Items {
			ids, names = append(ids, r.ID), append(names, r.Name)
		}
	}
	if len(ids) != total {
		t.Errorf("%+v: %d listed of %d", f, len(ids), total)
	}
	return ids, names
}

// TestApplicationNameSearchKeepsTheListsOrder searches applications by
// their talents' names in the list's order of the latest change and by
// state, both ways (read along the applications' own name index in that
// order), with
// applications changed in the same second, over pages, alone and with a
// 二级单位 or a month, after a talent is renamed: the pages hold the
// applications the whole list shows in that order whose talents' names
// match, each once.
func TestApplicationNameSearchKeepsTheListsOrder(t *testing.T) {
	f := newFixture(t)
	chemistry := testdb.Department(t, f.db, "化学学院")
	physics := testdb.Department(t, f.db, "物理学院")
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, clock.China)
	at := start
	defer clock.Set(func() time.Time { return at })()
	var talents []talent.Talent
	for i := range 24 {
		at = start.Add(time.Duration(i/3) * time.Second) // three to a second
		r := testdb.Registration(fmt.Sprintf("user%02d", i), i+10, []int64{physics, chemistry}[i%2])
		r.Name = []string{"王", "李王", "张三", "王小", "刘"}[i%5] + string(rune('甲'+i))
		tal, err := talent.Register(ctx, f.db, r, testdb.FastHash, "", card.Open)
		if err != nil {
			t.Fatal(err)
		}
		talents = append(talents, tal)
	}
	var ids []int64
	for _, tal := range talents {
		ids = append(ids, tal.ID)
	}
	testdb.Bind(t, f.db, f.leader, f.commissioner, ids...)
	for i := 0; i < len(talents); i += 5 { // later changes, out of registration order
		at = start.Add(time.Hour + time.Duration(i/10)*time.Second)
		a, err := card.Current(ctx, f.db, talents[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		draft := card.Draft{Version: a.Version, Materials: materials()}
		if _, err := card.Save(ctx, f.db, f.commissioner, a.ID, draft, ""); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string) {
		t.Helper()
		for _, sort := range []string{"", "updated", "-updated", "state", "-state"} {
			for _, search := range []card.Filter{{Name: "王"}, {Name: "李王"}, {Name: "王小"}, {Name: "王小丁"},
				{Name: "王", DepartmentID: chemistry}, {Name: "王", Month: "2026-03"},
				{Name: "改名"}, {Name: "无此人"}} {
				search.Sort = sort
				testkit.CheckSearch(t, fmt.Sprintf("%s: %q sorted %q in 二级单位 %d, month %q", when, search.Name, sort,
					search.DepartmentID, search.Month), search.Name, func(name string) ([]int64, []string) {
					filter := search
					filter.Name = name
					return named(t, f.db, filter)
				})
			}
		}
	}
	check("as registered and changed")

	renamed, err := talent.ByID(ctx, f.db, talents[3].ID)
	if err != nil {
		t.Fatal(err)
	}
	edit := talent.ProfileEdit{Profile: renamed.Profile, Version: renamed.Version}
	edit.Name = "改名王小"
	if _, err := talent.UpdateProfile(ctx, f.db, f.leader, renamed.ID, edit, "", card.ProfileEditable); err != nil {
		t.Fatal(err)
	}
	check("after a rename")
	oldName := []rune(renamed.Name) // its last character is no other name's
	for _, part := range []string{renamed.Name, string(oldName[len(oldName)-1:]), string(oldName[len(oldName)-2:])} {
		if got, _ := named(t, f.db, card.Filter{Name: part}); len(got) != 0 {
			t.Errorf("%s of the old name %s still finds %v", part, renamed.Name, got)
		}
	}
}

// TestApplicationNameSearchOfApplicationsOpenedBefore opens a database that
// a program knowing schema version 49 left with applications in it:
// migrating it indexes their talents' names in the applications' orders.
func TestApplicationNameSearchOfApplicationsOpenedBefore(t *testing.T) {
	dir := t.TempDir()
	old := testdb.OpenIn(t, dir, 49)
	testdb.Leader(t, old)
	dept := testdb.Department(t, old, "物理学院")
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, clock.China)
	at := start
	defer clock.Set(func() time.Time { return at })()
	var opened []int64
	for i, name := range []string{"王甲", "李乙", "王丙", "王丁"} {
		at = start.Add(time.Duration(-i) * time.Hour) // each opened an hour before the one before it
		r := testdb.Registration(fmt.Sprintf("user%d", i), i+1, dept)
		r.Name = name
		tal, err := talent.Register(ctx, old, r, testdb.FastHash, "", card.Open)
		if err != nil {
			t.Fatal(err)
		}
		a, err := card.Current(ctx, old, tal.ID)
		if err != nil {
			t.Fatal(err)
		}
		opened = append(opened, a.ID)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	db := testdb.OpenIn(t, dir, 0)
	for sort, want := range map[string][]int64{"": {opened[0], opened[2], opened[3]},
		"updated": {opened[3], opened[2], opened[0]}, "-state": {opened[0], opened[2], opened[3]}, "王丙": {opened[2]}} {
		filter := card.Filter{Name: "王", Sort: sort}
		if sort == "王丙" {
			filter = card.Filter{Name: sort}
		}
		if got, _ := named(t, db, filter); !slices.Equal(got, want) {
			t.Errorf("%+v after migrating: %v, want %v", filter, got, want)
		}
	}
}

// TestApplicationNameSearchAfterAnApplicationIsDropped: a talent's untouched
// application goes when their existing card is recorded, and the next
// application opened takes its id (SQLite reuses the highest rowid): the
// name index holds the new talent's name for it, not the old one's.
func TestApplicationNameSearchAfterAnApplicationIsDropped(t *testing.T) {
	f := newFixture(t)
	dept := testdb.Department(t, f.db, "理学院")
	r := testdb.Registration("wangjia", 2, dept)
	r.Name = "王甲"
	holder, err := talent.Register(ctx, f.db, r, testdb.FastHash, "", card.Open)
	if err != nil {
		t.Fatal(err)
	}
	dropped, err := card.Current(ctx, f.db, holder.ID)
	if err != nil {
		t.Fatal(err)
	}
	issued := clock.Now().AddDate(-1, 0, 0).Format("2006-01-02")
	c := checkCards(t, f, cardSheet(t, []string{"王甲", "居民身份证", r.IDNumber, "鲁惠才2025000002", issued, ""}))
	if res, err := card.ImportCards(ctx, f.db, f.leader, c, sheetin.ValidRows, "卡.xlsx", ""); err != nil || res.Imported != 1 {
		t.Fatalf("import: %+v %v", res, err)
	}
	r = testdb.Registration("lisi", 3, dept)
	r.Name = "李四"
	next, err := talent.Register(ctx, f.db, r, testdb.FastHash, "", card.Open)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := card.Current(ctx, f.db, next.ID); err != nil || a.ID != dropped.ID {
		t.Fatalf("the next application is %d, not the dropped one's id %d (%v)", a.ID, dropped.ID, err)
	}
	for name, want := range map[string]int{"王": 0, "王甲": 0, "李": 1, "李四": 1} {
		if got, _ := named(t, f.db, card.Filter{Name: name}); len(got) != want {
			t.Errorf("%s finds %v, want %d", name, got, want)
		}
	}
}
