package app

import (
	"fmt"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/clock"
	"huicai/internal/clock/clocktest"
)

// ids are the ids of a list answer's items.
func ids(r answer) []int64 {
	items, _ := r.Body["items"].([]any)
	out := []int64{}
	for _, it := range items {
		out = append(out, int64(it.(map[string]any)["id"].(float64)))
	}
	return out
}

// TestToDosFirst: 待我处理 keeps the rows waiting for the viewer — the
// commissioner's application to complete, then the leader's to review —
// and nothing for a role with no to-dos.
func TestToDosFirst(t *testing.T) {
	f := newRoleFixture(t)
	l, c, tt := f.tokens[account.RoleLeader], f.tokens[account.RoleCommissioner], f.tokens[account.RoleTalent]
	todo := func(token string) string {
		return fmt.Sprint(ids(call(t, f.h, "GET", "/api/applications?todo=1", token, "")))
	}
	mine := fmt.Sprint([]int64{f.app})
	if todo(c) != mine || todo(l) != "[]" || todo(tt) != "[]" {
		t.Errorf("while materials are due: commissioner %s, leader %s, talent %s", todo(c), todo(l), todo(tt))
	}
	body := fmt.Sprintf(`{"version":%d,%s}`, f.version(), completeMaterials)
	if r := call(t, f.h, "POST", fmt.Sprintf("/api/applications/%d/submit", f.app), c, body); r.Status != 200 {
		t.Fatalf("submit: %s", r.Raw)
	}
	if todo(c) != "[]" || todo(l) != mine {
		t.Errorf("while the leader reviews: commissioner %s, leader %s", todo(c), todo(l))
	}
	if got := fmt.Sprint(ids(call(t, f.h, "GET", "/api/applications?todo=1&state=supplement", l, ""))); got != "[]" {
		t.Errorf("the leader's to-dos among 待补充材料: %s", got)
	}
}

// TestDayFilters: the lists' date filters take the office's days, and a
// malformed day is a clear error.
func TestDayFilters(t *testing.T) {
	f := newRoleFixture(t)
	l := f.tokens[account.RoleLeader]
	today := clocktest.Date(0, 0, 0)
	for path, want := range map[string]int{
		"/api/applications?from=" + today: 1, "/api/applications?to=2000-01-01": 0,
		"/api/talents?from=" + today + "&to=" + today: 2, "/api/talents?from=2999-01-01": 0,
		"/api/changes?from=2000-01-01": 0,
	} {
		r := call(t, f.h, "GET", path, l, "")
		if r.Status != 200 || len(ids(r)) < want || (want == 0 && len(ids(r)) != 0) {
			t.Errorf("GET %s: %d, %d rows; want %d", path, r.Status, len(ids(r)), want)
		}
	}
	for _, path := range []string{"/api/applications?from=2026-02-30", "/api/talents?to=yesterday", "/api/changes?from=2026/11/30"} {
		r := call(t, f.h, "GET", path, l, "")
		if r.Status != 400 || !strings.Contains(r.Raw, "无法识别") {
			t.Errorf("GET %s: %d %s; want 400", path, r.Status, r.Raw)
		}
	}
}

// TestCardHolderFilters: 持卡人才 filters by a card's standing and 有效期至.
func TestCardHolderFilters(t *testing.T) {
	f := newRoleFixture(t)
	l := f.tokens[account.RoleLeader]
	for query, want := range map[string]int{
		"status=有效": 1, "status=已过期": 0, "status=已失效": 0, "": 1,
		"expires_from=2999-01-01": 0, "expires_to=" + clock.Now().AddDate(10, 0, 0).Format("2006-01-02"): 1,
	} {
		r := call(t, f.h, "GET", "/api/card-holders?"+query, l, "")
		if r.Status != 200 || len(ids(r)) != want {
			t.Errorf("holders ?%s: %d, %d rows; want %d", query, r.Status, len(ids(r)), want)
		}
	}
	if r := call(t, f.h, "GET", "/api/card-holders?status=valid", l, ""); r.Status != 400 {
		t.Errorf("an unknown standing: %d %s", r.Status, r.Raw)
	}
}

// TestTalentsWithoutAValidCard: 登记已有惠才卡 offers only the talents
// holding no valid card.
func TestTalentsWithoutAValidCard(t *testing.T) {
	f := newRoleFixture(t)
	got := fmt.Sprint(ids(call(t, f.h, "GET", "/api/talents?card=none", f.tokens[account.RoleLeader], "")))
	if want := fmt.Sprint([]int64{f.t2}); got != want {
		t.Errorf("talents without a valid card: %s, want %s (t1 holds one)", got, want)
	}
}
