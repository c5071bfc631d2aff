package app

import (
	"fmt"
	"net/url"
	"testing"

	"huicai/internal/account"
)

// TestHomeChartsMatchTheLists: every bar of the leader's charts counts
// what the list it links to shows under the same filter.
func TestHomeChartsMatchTheLists(t *testing.T) {
	f := newRoleFixture(t)
	f.approve(t)
	sampleChange(t, f)
	l := f.tokens[account.RoleLeader]
	charts := call(t, f.h, "GET", "/api/home/charts", l, "")
	if charts.Status != 200 {
		t.Fatalf("charts: %s", charts.Raw)
	}
	total := func(path string) float64 { return call(t, f.h, "GET", path, l, "").Body["total"].(float64) }
	for chart, list := range map[string]string{
		"applications": "/api/applications?state=%s",
		"changes":      "/api/changes?state=%s",
		"departments":  "/api/card-holders?status=有效&department_id=%s",
		"categories":   "/api/card-holders?status=有效&category=%s",
	} {
		bars := charts.Body[chart].([]any)
		nonZero := 0
		for _, b := range bars {
			bar := b.(map[string]any)
			path := fmt.Sprintf(list, url.QueryEscape(bar["key"].(string)))
			if n := total(path); n != bar["count"].(float64) {
				t.Errorf("%s %s: the chart says %v, %s lists %v", chart, bar["label"], bar["count"], path, n)
			}
			if bar["count"].(float64) > 0 {
				nonZero++
			}
		}
		if nonZero == 0 {
			t.Errorf("%s: no bar above zero: %v", chart, bars)
		}
	}
	months := charts.Body["months"].([]any)
	if len(months) != 12 || months[11].(map[string]any)["count"].(float64) < 1 {
		t.Errorf("months: %v", months)
	}
	for _, m := range months {
		m := m.(map[string]any)
		if n := total("/api/applications?month=" + m["month"].(string)); n != m["count"].(float64) {
			t.Errorf("month %s: the chart says %v, the list %v", m["month"], m["count"], n)
		}
	}
	if r := call(t, f.h, "GET", "/api/applications?month=2026-13", l, ""); r.Status != 400 {
		t.Errorf("a malformed month: %d %s", r.Status, r.Raw)
	}
	if r := call(t, f.h, "GET", "/api/home/charts", f.tokens[account.RoleCommissioner], ""); r.Status != 403 {
		t.Errorf("a commissioner's charts: %d", r.Status)
	}
}
