package card_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/card"
	"huicai/internal/files"
	"huicai/internal/flow"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/testdb"
)

var ctx = context.Background()

type fixture struct {
	db           *store.DB
	files        *files.Store
	leader       account.User
	commissioner account.User
	other        account.User
	talentUser   account.User
	app          card.Application
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testdb.Open(t)
	f := &fixture{db: db, files: files.NewStore(t.TempDir()), leader: testdb.Leader(t, db)}
	dept := testdb.Department(t, db, "文学院")
	f.commissioner = testdb.Commissioner(t, db, f.leader, "zhuanyuan", 1, dept, true)
	f.other = testdb.Commissioner(t, db, f.leader, "bieren", 2, dept, true)
	tal := testdb.Talent(t, db, "wangkun", 1, dept)
	testdb.Bind(t, db, f.leader, f.commissioner, tal.ID)
	f.talentUser, _ = account.UserByID(ctx, db, tal.ID)
	var err error
	if f.app, err = card.Current(ctx, db, tal.ID); err != nil {
		t.Fatal(err)
	}
	return f
}

func materials() card.Materials {
	return card.Materials{HighestEducation: "博士研究生", HighestDegree: "博士", SchoolMajor: "北京大学 理论物理",
		ProfessionalTitle: "教授", CurrentPosition: "院长", Field: "凝聚态物理", TitleDocument: "鲁政字〔2018〕123号",
		Achievements: "主持国家重点研发计划项目。", PostalAddress: "济南市山大南路27号", PostalCode: "250100"}
}

var pdf = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

func (f *fixture) attach(t *testing.T, kind string) card.Attachment {
	t.Helper()
	file, err := f.files.Put(bytes.NewReader(pdf), "扫描件.pdf")
	if err != nil {
		t.Fatal(err)
	}
	a, err := card.Attach(ctx, f.db, f.commissioner, f.app.ID, kind, file, "")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *fixture) version(t *testing.T) int {
	t.Helper()
	a, err := card.ByID(ctx, f.db, f.app.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a.Version
}

func (f *fixture) submit(t *testing.T) card.Application {
	t.Helper()
	a, err := card.Submit(ctx, f.db, f.commissioner, f.app.ID, card.Draft{Version: f.version(t), Materials: materials()}, "")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func code(err error) apperr.Code {
	e, _ := apperr.As(err)
	if e == nil {
		return ""
	}
	return e.Code
}

func fieldErr(err error, field string) string {
	e, _ := apperr.As(err)
	if e == nil {
		return ""
	}
	return e.Fields[field]
}

func TestApplicationOpensAtRegistration(t *testing.T) {
	f := newFixture(t)
	if f.app.State != card.StateSupplement || f.app.StateLabel != "待补充材料" {
		t.Errorf("new application %+v", f.app)
	}
}

func TestSubmitNamesEveryMissingFieldAndChangesNothing(t *testing.T) {
	f := newFixture(t)
	before := testdb.Snapshot(t, f.db)
	_, err := card.Submit(ctx, f.db, f.commissioner, f.app.ID, card.Draft{Version: 1}, "")
	e, ok := apperr.As(err)
	if !ok {
		t.Fatalf("submit empty: %v", err)
	}
	for _, field := range []string{"highest_education", "highest_degree", "school_major", "professional_title",
		"current_position", "field", "title_document", "achievements", "postal_address", "postal_code",
		"attachments.id_scan", "attachments.title_proof"} {
		if e.Fields[field] == "" {
			t.Errorf("missing %s not named: %v", field, e.Fields)
		}
	}
	if e.Fields["attachments.id_scan"] != "请上传证件扫描件" {
		t.Errorf("id scan message %q", e.Fields["attachments.id_scan"])
	}
	m := materials()
	m.Achievements = strings.Repeat("业", card.AchievementsMax+1)
	_, err = card.Save(ctx, f.db, f.commissioner, f.app.ID, card.Draft{Version: 1, Materials: m}, "")
	if fieldErr(err, "achievements") != "主要业绩与贡献不能超过2000个字" {
		t.Errorf("over-long achievements: %v", err)
	}
	if testdb.Snapshot(t, f.db) != before {
		t.Error("refused submit or save changed data")
	}
}

func TestEducationAndDegreeComeFromTheirLists(t *testing.T) {
	f := newFixture(t)
	f.attach(t, card.KindIDScan)
	f.attach(t, card.KindTitleProof)
	before := testdb.Snapshot(t, f.db)
	m := materials()
	m.HighestEducation, m.HighestDegree = "研究生", "博士后"
	_, err := card.Save(ctx, f.db, f.commissioner, f.app.ID, card.Draft{Version: 1, Materials: m}, "")
	if fieldErr(err, "highest_education") != "最高学历不在可选范围内，请从列表中选择" ||
		fieldErr(err, "highest_degree") != "最高学位不在可选范围内，请从列表中选择" {
		t.Errorf("save free text: %v", err)
	}
	_, err = card.Submit(ctx, f.db, f.commissioner, f.app.ID, card.Draft{Version: 1, Materials: m}, "")
	if fieldErr(err, "highest_education") != "最高学历不在可选范围内，请从列表中选择" {
		t.Errorf("submit free text: %v", err)
	}
	if testdb.Snapshot(t, f.db) != before {
		t.Error("refused save or submit changed data")
	}
	for _, m := range []card.Materials{{HighestEducation: card.Educations[0], HighestDegree: card.Degrees[len(card.Degrees)-1]}, {}} {
		if _, err := card.Save(ctx, f.db, f.commissioner, f.app.ID, card.Draft{Version: f.version(t), Materials: m}, ""); err != nil {
			t.Errorf("save %+v: %v", m, err)
		}
	}
}

func TestSupplementReviewRejectResubmitApprove(t *testing.T) {
	f := newFixture(t)
	saved, err := card.Save(ctx, f.db, f.commissioner, f.app.ID, card.Draft{Version: 1, Materials: card.Materials{HighestEducation: "博士研究生"}}, "")
	if err != nil || saved.Version != 2 || saved.State != card.StateSupplement {
		t.Fatalf("draft: %+v %v", saved, err)
	}
	f.attach(t, card.KindIDScan)
	f.attach(t, card.KindTitleProof)
	a := f.submit(t)
	if a.State != card.StateUnitReview {
		t.Fatalf("after submit: %s", a.State)
	}
	_, err = card.Save(ctx, f.db, f.commissioner, f.app.ID, card.Draft{Version: a.Version, Materials: materials()}, "")
	if code(err) != apperr.CodeConflict {
		t.Errorf("edit after submit: %v", err)
	}
	_, err = card.Review(ctx, f.db, f.leader, f.app.ID, card.Decision{Version: a.Version, Result: card.ActionReject}, "")
	if fieldErr(err, "opinion") != "请填写审核意见" {
		t.Errorf("reject without opinion: %v", err)
	}
	a, err = card.Review(ctx, f.db, f.leader, f.app.ID, card.Decision{Version: a.Version, Result: card.ActionReject, Opinion: "称号证明材料不清晰"}, "")
	if err != nil || a.State != card.StateReturned {
		t.Fatalf("reject: %+v %v", a, err)
	}
	history, _ := card.History(ctx, f.db, f.app.ID)
	if card.RejectReason(a, history) != "称号证明材料不清晰" {
		t.Errorf("return opinion %q", card.RejectReason(a, history))
	}
	steps := card.Flow(a, history)
	if steps[0].Status != flow.Current || steps[1].Status != flow.Todo {
		t.Errorf("flow when returned: %+v", steps)
	}
	a = f.submit(t)
	_, err = card.Review(ctx, f.db, f.leader, f.app.ID, card.Decision{Version: a.Version, Result: card.ActionApprove}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = card.Review(ctx, f.db, f.leader, f.app.ID, card.Decision{Version: a.Version + 1, Result: card.ActionApprove}, "")
	if code(err) != apperr.CodeConflict {
		t.Errorf("approving twice: %v", err)
	}
	a, _ = card.ByID(ctx, f.db, f.app.ID)
	history, _ = card.History(ctx, f.db, f.app.ID)
	steps = card.Flow(a, history)
	want := []string{flow.Done, flow.Done, flow.Current, flow.Todo, flow.Todo}
	for i, s := range steps {
		if s.Status != want[i] {
			t.Errorf("step %d %s: %s, want %s", i, s.Name, s.Status, want[i])
		}
	}
	if steps[1].By != "李四" || steps[0].By != "专员zhuanyuan" {
		t.Errorf("step people: %+v", steps)
	}
	if len(history) != 4 {
		t.Errorf("history has %d events, want 4 (submit, reject, submit, approve)", len(history))
	}
}

func TestStaleVersionIsRefused(t *testing.T) {
	f := newFixture(t)
	if _, err := card.Save(ctx, f.db, f.commissioner, f.app.ID, card.Draft{Version: 1, Materials: materials()}, ""); err != nil {
		t.Fatal(err)
	}
	before := testdb.Snapshot(t, f.db)
	m := materials()
	m.Field = "另一个窗口的修改"
	_, err := card.Save(ctx, f.db, f.commissioner, f.app.ID, card.Draft{Version: 1, Materials: m}, "")
	if !errors.Is(err, card.ErrStale) {
		t.Fatalf("stale save: %v", err)
	}
	if testdb.Snapshot(t, f.db) != before {
		t.Error("stale save changed data")
	}
}

func TestConcurrentReviewsDecideOnce(t *testing.T) {
	f := newFixture(t)
	f.attach(t, card.KindIDScan)
	f.attach(t, card.KindTitleProof)
	a := f.submit(t)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, result := range []string{card.ActionApprove, card.ActionReject} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = card.Review(ctx, f.db, f.leader, f.app.ID, card.Decision{Version: a.Version, Result: result, Opinion: "意见"}, "")
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("two windows deciding at once: %v / %v", errs[0], errs[1])
	}
	history, _ := card.History(ctx, f.db, f.app.ID)
	if len(history) != 2 {
		t.Errorf("%d events, want 2", len(history))
	}
}

func TestOnlyTheBoundCommissionerTouchesTheApplication(t *testing.T) {
	f := newFixture(t)
	before := testdb.Snapshot(t, f.db)
	if _, err := card.Save(ctx, f.db, f.other, f.app.ID, card.Draft{Version: 1, Materials: materials()}, ""); code(err) != apperr.CodeForbidden {
		t.Errorf("other commissioner's save: %v", err)
	}
	file, _ := f.files.Put(bytes.NewReader(pdf), "x.pdf")
	if _, err := card.Attach(ctx, f.db, f.other, f.app.ID, card.KindOther, file, ""); code(err) != apperr.CodeForbidden {
		t.Errorf("other commissioner's attach: %v", err)
	}
	if _, _, err := card.Visible(ctx, f.db, f.other, f.app.ID); code(err) != apperr.CodeForbidden {
		t.Errorf("other commissioner's view: %v", err)
	}
	if testdb.Snapshot(t, f.db) != before {
		t.Error("refused calls changed data")
	}
}

func TestTalentEditsOnlyBeforeSubmission(t *testing.T) {
	f := newFixture(t)
	tal, _ := talent.ByID(ctx, f.db, f.talentUser.ID)
	p := talent.ProfileEdit{Profile: tal.Profile, Version: tal.Version}
	p.Email = "new@sdu.edu.cn"
	if _, err := talent.UpdateProfile(ctx, f.db, f.talentUser, tal.ID, p, "", card.ProfileEditable); err != nil {
		t.Fatalf("edit before submission: %v", err)
	}
	f.attach(t, card.KindIDScan)
	f.attach(t, card.KindTitleProof)
	f.submit(t)
	before := testdb.Snapshot(t, f.db)
	p.Email, p.Version = "late@sdu.edu.cn", p.Version+1
	_, err := talent.UpdateProfile(ctx, f.db, f.talentUser, tal.ID, p, "", card.ProfileEditable)
	if code(err) != apperr.CodeConflict {
		t.Fatalf("edit after submission: %v", err)
	}
	if testdb.Snapshot(t, f.db) != before {
		t.Error("refused edit changed data")
	}
}

func TestCountsAreScopedByRole(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		u    account.User
		want int
	}{{f.leader, 1}, {f.commissioner, 1}, {f.other, 0}, {f.talentUser, 1}} {
		counts, err := card.Counts(ctx, f.db, c.u)
		if err != nil || counts[card.StateSupplement] != c.want {
			t.Errorf("%s: %v %v", c.u.Username, counts, err)
		}
	}
}

func TestTwoEditsFromTheSameCopyOnlyTheFirstSaves(t *testing.T) {
	f := newFixture(t)
	tal, _ := talent.ByID(ctx, f.db, f.talentUser.ID)
	first := talent.ProfileEdit{Profile: tal.Profile, Version: tal.Version}
	second := first
	first.Email, second.Email = "first@sdu.edu.cn", "second@sdu.edu.cn"
	if _, err := talent.UpdateProfile(ctx, f.db, f.talentUser, tal.ID, first, "", card.ProfileEditable); err != nil {
		t.Fatal(err)
	}
	before := testdb.Snapshot(t, f.db)
	_, err := talent.UpdateProfile(ctx, f.db, f.talentUser, tal.ID, second, "", card.ProfileEditable)
	if code(err) != apperr.CodeConflict || !strings.Contains(err.Error(), "已在别处被修改") {
		t.Fatalf("a save from a stale copy: %v", err)
	}
	if testdb.Snapshot(t, f.db) != before {
		t.Error("the stale save changed data")
	}
	if now, _ := talent.ByID(ctx, f.db, f.talentUser.ID); now.Email != "first@sdu.edu.cn" || now.Version != tal.Version+1 {
		t.Errorf("after both saves: %s v%d", now.Email, now.Version)
	}
}

// TestCommissionerListFollowsBinding: a commissioner's applications are
// those of the talents bound to them now, through binding, rebinding and
// release, and for applications opened before and after.
func TestCommissionerListFollowsBinding(t *testing.T) {
	f := newFixture(t)
	mine := func(u account.User) []int64 {
		t.Helper()
		page, err := card.List(ctx, f.db, card.Filter{}.Scope(u))
		if err != nil {
			t.Fatal(err)
		}
		out := []int64{}
		for _, r := range page.Items {
			out = append(out, r.ID)
		}
		counts, err := card.Counts(ctx, f.db, u)
		sum := 0
		for _, n := range counts {
			sum += n
		}
		if err != nil || sum != len(out) {
			t.Errorf("%s: counts %v for %d applications, %v", u.Username, counts, len(out), err)
		}
		return out
	}
	check := func(when string, commissioner, other []int64) {
		t.Helper()
		if got := mine(f.commissioner); !slices.Equal(got, commissioner) {
			t.Errorf("%s: %s lists %v, want %v", when, f.commissioner.Username, got, commissioner)
		}
		if got := mine(f.other); !slices.Equal(got, other) {
			t.Errorf("%s: %s lists %v, want %v", when, f.other.Username, got, other)
		}
	}
	check("bound", []int64{f.app.ID}, []int64{})
	testdb.Bind(t, f.db, f.leader, f.other, f.talentUser.ID)
	check("rebound", []int64{}, []int64{f.app.ID})
	err := f.db.Tx(ctx, func(tx *sql.Tx) error { return talent.Unbind(ctx, tx, f.leader.Actor("test"), f.talentUser.ID) })
	if err != nil {
		t.Fatal(err)
	}
	check("released", []int64{}, []int64{})

	// A talent registered (their application opened) before binding, and
	// an application opened for a talent already bound.
	first, err := talent.ByID(ctx, f.db, f.talentUser.ID)
	if err != nil {
		t.Fatal(err)
	}
	later := testdb.Talent(t, f.db, "houlai", 2, first.DepartmentID)
	testdb.Bind(t, f.db, f.leader, f.commissioner, later.ID, first.ID)
	laterApp, err := card.Current(ctx, f.db, later.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Exec(`UPDATE card_applications SET state = ? WHERE id = ?`, card.StateIssued, f.app.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Tx(ctx, func(tx *sql.Tx) error { return card.Open(ctx, tx, first) }); err != nil {
		t.Fatal(err)
	}
	reopened, err := card.Current(ctx, f.db, first.ID)
	if err != nil || reopened.ID == f.app.ID {
		t.Fatalf("reopened: %v, %v", reopened.ID, err)
	}
	got := mine(f.commissioner)
	slices.Sort(got)
	if want := []int64{f.app.ID, laterApp.ID, reopened.ID}; !slices.Equal(got, want) {
		t.Errorf("after binding two talents and reopening: %v, want %v", got, want)
	}
}
