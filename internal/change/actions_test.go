package change_test

import (
	"database/sql"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/card"
	"huicai/internal/change"
	"huicai/internal/testdb"
)

// mayDo is what u may do on request id, as its detail and u's list say.
func (f *fixture) mayDo(t *testing.T, u account.User, id int64) string {
	t.Helper()
	r, err := change.Visible(ctx, f.db, u, id)
	if err != nil {
		t.Fatal(err)
	}
	page, err := change.List(ctx, f.db, change.Filter{}.Scope(u))
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range page.Items {
		if row.ID == id && strings.Join(row.Actions, ",") != strings.Join(r.Actions, ",") {
			t.Errorf("%s: the list says %v, the request %v", u.Username, row.Actions, r.Actions)
		}
	}
	return strings.Join(r.Actions, ",")
}

func TestRequestsSayWhatEachUserMayDo(t *testing.T) {
	f := newFixture(t)
	r, err := change.Apply(ctx, f.db, f.commissioner, f.input("退休"), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.mayDo(t, f.commissioner, r.ID) + "|" + f.mayDo(t, f.leader, r.ID); got != "withdraw|approve,reject" {
		t.Errorf("in review: %s", got)
	}
	r, err = change.Decide(ctx, f.db, f.leader, r.ID, change.Decision{Version: r.Version, Action: change.ActionReject, RejectReason: "日期有误"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.mayDo(t, f.commissioner, r.ID) + "|" + f.mayDo(t, f.leader, r.ID); got != "resubmit|" {
		t.Errorf("rejected: %s", got)
	}
	held, _ := card.HeldBy(ctx, f.db, f.holder.ID)
	f.db.Tx(ctx, func(tx *sql.Tx) error { return card.Invalidate(ctx, tx, held.ID, "人才称号撤销", held.IssuedOn) })
	if got := f.mayDo(t, f.commissioner, r.ID); got != "" {
		t.Errorf("rejected, the card no longer valid: the commissioner may %q", got)
	}

	in := f.input("退休")
	in.Version = r.Version
	if _, err := change.Resubmit(ctx, f.db, f.commissioner, r.ID, in, ""); code(err) != apperr.CodeConflict {
		t.Errorf("correcting a request for a card no longer valid: %v", err)
	}
}

func TestACommissionerNoLongerBoundMayNotCorrect(t *testing.T) {
	f := newFixture(t)
	r, _ := change.Apply(ctx, f.db, f.commissioner, f.input("退休"), "")
	r, err := change.Decide(ctx, f.db, f.leader, r.ID, change.Decision{Version: r.Version, Action: change.ActionReject, RejectReason: "日期有误"}, "")
	if err != nil {
		t.Fatal(err)
	}
	testdb.Bind(t, f.db, f.leader, f.other, f.holder.ID)
	if got := f.mayDo(t, f.commissioner, r.ID); got != "" {
		t.Errorf("the talent bound to another: the commissioner may %q", got)
	}
	if got := f.mayDo(t, f.leader, r.ID); got != "" {
		t.Errorf("the leader may %q", got)
	}
}

func TestApprovedRequestsMayBeDeletedOrBatched(t *testing.T) {
	f := newFixture(t)
	r, _ := change.Apply(ctx, f.db, f.commissioner, f.input("退休"), "")
	r, err := change.Decide(ctx, f.db, f.leader, r.ID, change.Decision{Version: r.Version, Action: change.ActionApprove}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.mayDo(t, f.commissioner, r.ID) + "|" + f.mayDo(t, f.leader, r.ID); got != "|delete,batch" {
		t.Errorf("approved: %s", got)
	}
}

// TestAFailureToCheckIsNoFormError breaks the database under the form's
// checks: the failure must come back as it is, to be logged, not as a
// form error that hides it.
func TestAFailureToCheckIsNoFormError(t *testing.T) {
	f := newFixture(t)
	if _, err := f.db.Exec(`DROP TABLE change_types`); err != nil {
		t.Fatal(err)
	}
	in := f.input("退休")
	in.TalentID, in.TypeID = 0, 1
	_, err := change.Apply(ctx, f.db, f.commissioner, in, "")
	if _, ok := apperr.As(err); ok || err == nil {
		t.Errorf("a broken database while checking the form: %v", err)
	}
}
