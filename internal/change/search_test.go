package change_test

import (
	"fmt"
	"testing"

	"huicai/internal/card"
	"huicai/internal/change"
	"huicai/internal/talent"
	"huicai/internal/testdb"
	"huicai/internal/testkit"
)

// TestNameSearchKeepsTheListsOrder searches requests by their talents'
// names, in the order they were made (newest or oldest first), by change
// date and by state (each read along the requests' own name index in that
// order), over pages, alone and with a 二级单位: the pages hold the requests
// the whole list shows in that order whose talents' names match, each
// once.
func TestNameSearchKeepsTheListsOrder(t *testing.T) {
	f := newFixture(t)
	for i, name := range []string{"王甲", "李王", "王小乙", "张三", "王小丙", "刘四"} {
		r := testdb.Registration(fmt.Sprintf("user%d", i), i+10, []int64{f.holder.DepartmentID, f.dept2}[i%2])
		r.Name = name
		tal, err := talent.Register(ctx, f.db, r, testdb.FastHash, "", card.Open)
		if err != nil {
			t.Fatal(err)
		}
		testdb.Bind(t, f.db, f.leader, f.commissioner, tal.ID)
		in := card.ExistingCard{TalentID: tal.ID, CardNo: fmt.Sprintf("鲁惠才20240001%02d", i), IssuedOn: issuedOn()}
		if _, err := card.RecordExisting(ctx, f.db, f.leader, in, ""); err != nil {
			t.Fatal(err)
		}
		req := f.input("退休")
		req.TalentID = tal.ID
		if _, err := change.Apply(ctx, f.db, f.commissioner, req, ""); err != nil {
			t.Fatal(err)
		}
	}
	list := func(filter change.Filter) (ids []int64, names []string) {
		t.Helper()
		for filter.Page, filter.PageSize = 1, 2; ; filter.Page++ {
			page, err := change.List(ctx, f.db, filter.Scope(f.leader))
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) == 0 {
				return ids, names
			}
			for _, r := range page.Items {
				ids, names = append(ids, r.ID), append(names, r.Name)
			}
		}
	}
	for _, sort := range []string{"", "created", "-created", "change_date", "-change_date", "state", "-state"} {
		for _, search := range []change.Filter{{Name: "王"}, {Name: "王小"}, {Name: "王小丙"}, {Name: "王", DepartmentID: f.dept2},
			{Name: "无此人"}} {
			search.Sort = sort
			testkit.CheckSearch(t, fmt.Sprintf("%q sorted %q in 二级单位 %d", search.Name, sort, search.DepartmentID), search.Name,
				func(name string) ([]int64, []string) {
					filter := search
					filter.Name = name
					return list(filter)
				})
		}
	}
}
