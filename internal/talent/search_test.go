package talent_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"huicai/internal/apperr"
	"huicai/internal/clock"
	"huicai/internal/talent"
	"huicai/internal/testdb"
	"huicai/internal/validate"
)

func names(t *testing.T, page []talent.Talent) []string {
	t.Helper()
	out := []string{}
	for _, tal := range page {
		out = append(out, tal.Name)
	}
	slices.Sort(out)
	return out
}

// TestNameSearchFindsPartsOfNames searches by one character, a pair, a
// longer part and Latin letters in either case, and follows renames.
func TestNameSearchFindsPartsOfNames(t *testing.T) {
	db, leader, dept := fixture(t)
	for i, name := range []string{"王堃", "王喆", "李赟镕", "张珺", "John Smith", "王"} {
		r := testdb.Registration("user"+string(rune('a'+i)), i+1, dept)
		r.Name = name
		if _, err := talent.Register(ctx, db, r, testdb.FastHash, "", noHook); err != nil {
			t.Fatal(err)
		}
	}
	search := func(part string) []string {
		t.Helper()
		page, err := talent.List(ctx, db, talent.Filter{Name: part})
		if err != nil {
			t.Fatal(err)
		}
		return names(t, page.Items)
	}
	for part, want := range map[string][]string{
		"王": {"王", "王喆", "王堃"}, "王堃": {"王堃"}, "赟镕": {"李赟镕"}, "李赟镕": {"李赟镕"}, "赟": {"李赟镕"},
		"smith": {"John Smith"}, "JOHN S": {"John Smith"}, " 珺 ": {"张珺"}, "王珺": {}, "%": {}, "_": {},
	} {
		if got := search(part); !slices.Equal(got, want) {
			t.Errorf("search %q: %v, want %v", part, got, want)
		}
	}
	page, _ := talent.List(ctx, db, talent.Filter{Name: "张珺"})
	tal, err := talent.ByID(ctx, db, page.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	tal.Name = "张喆"
	if _, err := talent.UpdateProfile(ctx, db, leader, tal.ID, talent.ProfileEdit{Profile: tal.Profile, Version: tal.Version}, "", noHook); err != nil {
		t.Fatal(err)
	}
	if got := search("珺"); len(got) != 0 {
		t.Errorf("after the rename, 珺 still finds %v", got)
	}
	if got := search("喆"); !slices.Equal(got, []string{"张喆", "王喆"}) {
		t.Errorf("after the rename, 喆 finds %v", got)
	}
}

// TestIDNumberSearchIsExact finds a talent by their whole ID number (any
// case of the check letter), and nobody by a part of it.
func TestIDNumberSearchIsExact(t *testing.T) {
	db, _, dept := fixture(t)
	testdb.Talent(t, db, "first", 1, dept)
	second := testdb.Talent(t, db, "second", 2, dept)
	number := testdb.ResidentID("19750601", 2, true)
	for ask, want := range map[string]int{number: 1, " " + number + " ": 1, number[:17]: 0, number[6:]: 0,
		validate.MaskID(number): 0} {
		page, err := talent.List(ctx, db, talent.Filter{IDNumber: ask})
		if err != nil || page.Total != want || (want == 1 && page.Items[0].ID != second.ID) {
			t.Errorf("ID %q: %d found (%v); want %d", ask, page.Total, err, want)
		}
	}
}

// TestUnknownSortIsRefused answers a sort the list does not offer with the
// keys it does.
func TestUnknownSortIsRefused(t *testing.T) {
	db, _, _ := fixture(t)
	_, err := talent.List(ctx, db, talent.Filter{Sort: "id_number"})
	if e, ok := apperr.As(err); !ok || e.Fields["sort"] != "不支持按“id_number”排序，可选：created、department、name（前加 - 为倒序）" {
		t.Errorf("sort by id_number: %v", err)
	}
	if _, err := talent.List(ctx, db, talent.Filter{Sort: "-name"}); err != nil {
		t.Errorf("sort by -name: %v", err)
	}
}

// TestNameSearchKeepsTheListsOrder searches names in registration order,
// newest or oldest first (read along the name index), with talents
// registered in the same second, over pages, alone and with a 二级单位: the
// pages hold the talents the whole list shows in that order whose names
// match, each once.
func TestNameSearchKeepsTheListsOrder(t *testing.T) {
	db, _, physics := fixture(t)
	chemistry := testdb.Department(t, db, "化学学院")
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, clock.China)
	at := start
	defer clock.Set(func() time.Time { return at })()
	for i := range 30 {
		at = start.Add(time.Duration(i/3) * time.Second) // three to a second
		r := testdb.Registration(fmt.Sprintf("user%02d", i), i+1, []int64{physics, chemistry}[i%2])
		r.Name = []string{"王", "李王", "张三", "王小", "刘"}[i%5] + string(rune('甲'+i))
		if _, err := talent.Register(ctx, db, r, testdb.FastHash, "", noHook); err != nil {
			t.Fatal(err)
		}
	}
	for _, sort := range []string{"", "created", "-created"} {
		for _, f := range []talent.Filter{{Name: "王"}, {Name: "李王"}, {Name: "王小"}, {Name: "王小丁"},
			{Name: "王", DepartmentID: chemistry}, {Name: "无此人"}} {
			f.Sort = f.Sort + sort
			whole := f
			whole.Name, whole.PageSize = "", 100
			all, err := talent.List(ctx, db, whole)
			if err != nil {
				t.Fatal(err)
			}
			var want, got []int64
			for _, tal := range all.Items {
				if strings.Contains(tal.Name, f.Name) {
					want = append(want, tal.ID)
				}
			}
			for f.Page, f.PageSize = 1, 4; ; f.Page++ {
				page, err := talent.List(ctx, db, f)
				if err != nil || page.Total != len(want) {
					t.Fatalf("%+v: %d found, want %d (%v)", f, page.Total, len(want), err)
				}
				if len(page.Items) == 0 {
					break
				}
				for _, tal := range page.Items {
					got = append(got, tal.ID)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%q sorted %q in 二级单位 %d: %v, want %v", f.Name, sort, f.DepartmentID, got, want)
			}
		}
	}
}

// TestNameSearchOrderOfTalentsRegisteredBefore opens a database that a
// program knowing schema version 48 left with talents in it: migrating it
// makes the list's copy of the name index from them, so searches in each
// of the list's orders find them in order.
func TestNameSearchOrderOfTalentsRegisteredBefore(t *testing.T) {
	dir := t.TempDir()
	old := testdb.OpenIn(t, dir, 48)
	testdb.Leader(t, old)
	dept := testdb.Department(t, old, "物理学院")
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, clock.China)
	at := start
	defer clock.Set(func() time.Time { return at })()
	var registered []int64
	for i, name := range []string{"王甲", "李乙", "王丙", "王丁"} {
		at = start.Add(time.Duration(-i) * time.Hour) // each registered an hour before the one before it
		r := testdb.Registration(fmt.Sprintf("user%d", i), i+1, dept)
		r.Name = name
		tal, err := talent.Register(ctx, old, r, testdb.FastHash, "", noHook)
		if err != nil {
			t.Fatal(err)
		}
		registered = append(registered, tal.ID)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	db := testdb.OpenIn(t, dir, 0)
	for sort, want := range map[string][]int64{"": {registered[0], registered[2], registered[3]},
		"created": {registered[3], registered[2], registered[0]}, "name": {registered[3], registered[2], registered[0]},
		"-name": {registered[0], registered[2], registered[3]}} {
		page, err := talent.List(ctx, db, talent.Filter{Name: "王", Sort: sort})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, tal := range page.Items {
			got = append(got, tal.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("王 sorted %q after migrating: %v, want %v", sort, got, want)
		}
	}
}
