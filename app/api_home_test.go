package app

import (
	"strings"
	"testing"

	"huicai/internal/account"
)

// TestHomeRemindsEachRole: the leader is reminded of pending staff, cards
// lapsing and late changes; a commissioner of their own cards and rejected
// changes; a talent sees their card and its days left.
func TestHomeRemindsEachRole(t *testing.T) {
	f := newRoleFixture(t)
	keys := func(role account.Role) string {
		r := call(t, f.h, "GET", "/api/home", f.tokens[role], "")
		var out []string
		for _, rem := range r.Body["reminders"].([]any) {
			out = append(out, rem.(map[string]any)["key"].(string))
		}
		return strings.Join(out, ",")
	}
	if got := keys(account.RoleLeader); got != "staff_pending_long,card_expired,card_expiry30,card_expiry90,change_late_review,change_late_approved" {
		t.Errorf("leader's reminders: %s", got)
	}
	if got := keys(account.RoleCommissioner); got != "card_expired,card_expiry30,card_expiry90,change_late_rejected" {
		t.Errorf("commissioner's reminders: %s", got)
	}
	if got := keys(account.RoleTalent); got != "" {
		t.Errorf("talent's reminders: %s", got)
	}
	mine := call(t, f.h, "GET", "/api/home", f.tokens[account.RoleTalent], "")
	card, _ := mine.Body["my_card"].(map[string]any)
	if card["card_no"] != "鲁惠才2024000001" || card["status"] != "有效" || card["days_left"].(float64) <= 0 {
		t.Errorf("talent's card: %s", mine.Raw)
	}
	if leader := call(t, f.h, "GET", "/api/home", f.tokens[account.RoleLeader], ""); leader.Body["my_card"] != nil {
		t.Errorf("the leader has a card: %s", leader.Raw)
	}
}
