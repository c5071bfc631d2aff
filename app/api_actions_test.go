package app

import (
	"fmt"
	"testing"

	"huicai/internal/account"
)

// TestCardActionsAndTheLockedProfileOnTheWire checks the fields the UI
// follows instead of re-deriving rules: each application, in the list and
// in detail, carries "actions" (an array, never null), and the talent's
// own profile says whether it may still be edited and why not.
func TestCardActionsAndTheLockedProfileOnTheWire(t *testing.T) {
	f := newRoleFixture(t)
	c, tt := f.tokens[account.RoleCommissioner], f.tokens[account.RoleTalent]
	actions := func(token string) (list, detail string) {
		r := call(t, f.h, "GET", "/api/applications", token, "")
		items, _ := r.Body["items"].([]any)
		if r.Status != 200 || len(items) != 1 {
			t.Fatalf("list: %s", r.Raw)
		}
		list = fmt.Sprint(items[0].(map[string]any)["actions"])
		r = call(t, f.h, "GET", fmt.Sprintf("/api/applications/%d", f.app), token, "")
		app, _ := r.Body["application"].(map[string]any)
		return list, fmt.Sprint(app["actions"])
	}
	if list, detail := actions(c); list != "[save submit]" || detail != list {
		t.Errorf("the commissioner, waiting for materials: list %s, detail %s", list, detail)
	}
	r := call(t, f.h, "GET", "/api/my/talent", tt, "")
	if r.Body["editable"] != true || r.Body["locked_reason"] != "" {
		t.Errorf("the talent before submission: %s", r.Raw)
	}
	f.approve(t)
	if list, detail := actions(c); list != "[]" || detail != list {
		t.Errorf("the commissioner, once approved: list %s, detail %s", list, detail)
	}
	r = call(t, f.h, "GET", "/api/my/talent", tt, "")
	if reason, _ := r.Body["locked_reason"].(string); r.Body["editable"] != false || reason == "" || r.Body["username"] == nil {
		t.Errorf("the talent after submission: %s", r.Raw)
	}
}
