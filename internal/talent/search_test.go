package talent_test

import (
	"slices"
	"testing"

	"huicai/internal/apperr"
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
