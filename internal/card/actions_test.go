package card_test

import (
	"encoding/json"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/card"
	"huicai/internal/store"
)

func (f *fixture) actions(t *testing.T, u account.User) string {
	t.Helper()
	a, _, err := card.Visible(ctx, f.db, u, f.app.ID)
	if err != nil {
		t.Fatal(err)
	}
	page, err := card.List(ctx, f.db, card.Filter{}.Scope(u))
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("list for %s: %+v %v", u.Username, page, err)
	}
	if row := strings.Join(page.Items[0].Actions, ","); row != strings.Join(a.Actions, ",") {
		t.Errorf("%s: the list says %s, the application %v", u.Username, row, a.Actions)
	}
	return strings.Join(a.Actions, ",")
}

func TestApplicationsSayWhatEachUserMayDo(t *testing.T) {
	f := newFixture(t)
	want := map[string]string{"zhuanyuan": "save,submit", "wangkun": "edit_profile", f.leader.Username: ""}
	for _, u := range []account.User{f.commissioner, f.talentUser, f.leader} {
		if got := f.actions(t, u); got != want[u.Username] {
			t.Errorf("waiting for materials, %s may %q, want %q", u.Username, got, want[u.Username])
		}
	}
	f.attach(t, card.KindIDScan)
	f.attach(t, card.KindTitleProof)
	a := f.submit(t)
	want = map[string]string{"zhuanyuan": "", "wangkun": "", f.leader.Username: "approve,reject"}
	for _, u := range []account.User{f.commissioner, f.talentUser, f.leader} {
		if got := f.actions(t, u); got != want[u.Username] {
			t.Errorf("in review, %s may %q, want %q", u.Username, got, want[u.Username])
		}
	}
	if _, err := card.Review(ctx, f.db, f.leader, a.ID, card.Decision{Version: a.Version, Result: card.ActionApprove}, ""); err != nil {
		t.Fatal(err)
	}
	if got := f.actions(t, f.leader); got != "batch" {
		t.Errorf("approved, the leader may %q, want batch", got)
	}
	if out, _ := json.Marshal(a); !strings.Contains(string(out), `"actions":[]`) {
		t.Errorf("an application loaded for no one: %s", out)
	}
}

func TestTheTalentIsToldWhyTheProfileIsLocked(t *testing.T) {
	f := newFixture(t)
	if why, err := card.ProfileLock(ctx, f.db, f.talentUser.ID); why != "" || err != nil {
		t.Errorf("before submission: %q %v", why, err)
	}
	f.attach(t, card.KindIDScan)
	f.attach(t, card.KindTitleProof)
	f.submit(t)
	if why, err := card.ProfileLock(ctx, f.db, f.talentUser.ID); !strings.Contains(why, "待单位审核") || err != nil {
		t.Errorf("after submission: %q %v", why, err)
	}
}

func TestStoredTimesHaveOneWidth(t *testing.T) {
	f := newFixture(t)
	f.attach(t, card.KindIDScan)
	f.attach(t, card.KindTitleProof)
	f.submit(t)
	history, _ := card.History(ctx, f.db, f.app.ID)
	a, _ := card.ByID(ctx, f.db, f.app.ID)
	for name, v := range map[string]string{"created_at": a.CreatedAt, "updated_at": a.UpdatedAt, "event at": history[0].At} {
		if len(v) != len(store.TimestampLayout) {
			t.Errorf("%s = %q, not the fixed width", name, v)
		}
	}
}
