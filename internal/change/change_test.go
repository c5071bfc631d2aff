package change_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/batch"
	"huicai/internal/card"
	"huicai/internal/change"
	"huicai/internal/clock"
	"huicai/internal/clock/clocktest"
	"huicai/internal/files"
	"huicai/internal/pack"
	"huicai/internal/sign"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/testdb"
)

var ctx = context.Background()

type fixture struct {
	db           *store.DB
	leader       account.User
	commissioner account.User
	other        account.User
	holder       talent.Talent
	noCard       talent.Talent
	dept2        int64
	types        map[string]int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testdb.Open(t)
	f := &fixture{db: db, leader: testdb.Leader(t, db), types: map[string]int64{}}
	dept := testdb.Department(t, db, "化学学院")
	f.dept2 = testdb.Department(t, db, "材料学院")
	f.commissioner = testdb.Commissioner(t, db, f.leader, "zhuanyuan", 1, dept, true)
	f.other = testdb.Commissioner(t, db, f.leader, "bieren", 2, dept, true)
	f.holder = testdb.Talent(t, db, "chikaren", 1, dept)
	f.noCard = testdb.Talent(t, db, "wuka", 2, dept)
	testdb.Bind(t, db, f.leader, f.commissioner, f.holder.ID, f.noCard.ID)
	if _, err := card.RecordExisting(ctx, db, f.leader, card.ExistingCard{TalentID: f.holder.ID, CardNo: "鲁惠才2024000123", IssuedOn: issuedOn()}, ""); err != nil {
		t.Fatal(err)
	}
	types, _ := change.Types(ctx, db, true)
	for _, ty := range types {
		f.types[ty.Name] = ty.ID
	}
	return f
}

// issuedOn is when the holder's card was issued: 15 June last year, so it
// is valid today and for four years more, whatever today is.
func issuedOn() string { return clocktest.OnDay(-1, "06-15") }

func (f *fixture) input(typ string) change.Input {
	return change.Input{TalentID: f.holder.ID, TypeID: f.types[typ], ChangeDate: clocktest.Date(0, 0, -7), Description: "经批准调往其他单位工作。",
		ReceivingUnitName: "青岛大学", ReceivingUnitCode: "91370000MA3C5ELC16"}
}

func fieldErr(err error, field string) string {
	e, _ := apperr.As(err)
	if e == nil {
		return ""
	}
	return e.Fields[field]
}

func code(err error) apperr.Code {
	e, _ := apperr.As(err)
	if e == nil {
		return ""
	}
	return e.Code
}

func TestExistingCardRecord(t *testing.T) {
	f := newFixture(t)
	c, err := card.HeldBy(ctx, f.db, f.holder.ID)
	if err != nil || c.ExpiresOn != clocktest.OnDay(4, "06-14") || c.Status != "有效" {
		t.Fatalf("card %+v %v", c, err)
	}
	before := testdb.Snapshot(t, f.db)
	for name, in := range map[string]card.ExistingCard{
		"no number":        {TalentID: f.noCard.ID, IssuedOn: issuedOn()},
		"future issue":     {TalentID: f.noCard.ID, CardNo: "X1", IssuedOn: clocktest.Date(0, 0, 2)},
		"expiry too early": {TalentID: f.noCard.ID, CardNo: "X2", IssuedOn: issuedOn(), ExpiresOn: clocktest.OnDay(-1, "06-14")},
		"duplicate number": {TalentID: f.noCard.ID, CardNo: "鲁惠才2024000123", IssuedOn: issuedOn()},
		"second card":      {TalentID: f.holder.ID, CardNo: "X3", IssuedOn: issuedOn()},
	} {
		if _, err := card.RecordExisting(ctx, f.db, f.leader, in, ""); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	if testdb.Snapshot(t, f.db) != before {
		t.Error("refused records changed data")
	}
}

func TestBadRequestsChangeNothing(t *testing.T) {
	f := newFixture(t)
	if _, err := change.Apply(ctx, f.db, f.commissioner, f.input("退休"), ""); err != nil {
		t.Fatal(err)
	}
	before := testdb.Snapshot(t, f.db)
	cases := []struct {
		name  string
		by    account.User
		edit  func(*change.Input)
		field string
		code  apperr.Code
	}{
		{"no type", f.commissioner, func(in *change.Input) { in.TypeID = 0 }, "change_type_id", ""},
		{"no date", f.commissioner, func(in *change.Input) { in.ChangeDate = "" }, "change_date", ""},
		{"no description", f.commissioner, func(in *change.Input) { in.Description = " " }, "description", ""},
		{"future date", f.commissioner, func(in *change.Input) { in.ChangeDate = clocktest.Date(0, 0, 2) }, "change_date", ""},
		{"before the card", f.commissioner, func(in *change.Input) { in.ChangeDate = clocktest.OnDay(-1, "06-14") }, "change_date", ""},
		{"moving without receiving unit", f.commissioner, func(in *change.Input) {
			in.TypeID, in.ReceivingUnitName = f.types["调出本省"], ""
		}, "receiving_unit_name", ""},
		{"bad receiving code", f.commissioner, func(in *change.Input) {
			in.TypeID, in.ReceivingUnitCode = f.types["调出本省"], "91370000MA3C5ELC17"
		}, "receiving_unit_code", ""},
		{"internal move without department", f.commissioner, func(in *change.Input) { in.TypeID = f.types["单位内部调动"] }, "new_department_id", ""},
		{"talent without a card", f.commissioner, func(in *change.Input) { in.TalentID = f.noCard.ID }, "", apperr.CodeConflict},
		{"talent not bound", f.other, func(in *change.Input) {}, "", apperr.CodeForbidden},
		{"second open request of a type", f.commissioner, func(in *change.Input) { in.TypeID = f.types["退休"] }, "change_type_id", ""},
	}
	for _, c := range cases {
		in := f.input("省内调动（调离本单位）")
		c.edit(&in)
		_, err := change.Apply(ctx, f.db, c.by, in, "")
		if c.field != "" && fieldErr(err, c.field) == "" || c.code != "" && code(err) != c.code {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if testdb.Snapshot(t, f.db) != before {
		t.Error("refused requests changed data")
	}
}

func TestReviewRejectCorrectApproveDelete(t *testing.T) {
	f := newFixture(t)
	r, err := change.Apply(ctx, f.db, f.commissioner, f.input("省内调动（调离本单位）"), "")
	if err != nil || r.State != change.StateUnitReview {
		t.Fatalf("apply: %+v %v", r, err)
	}
	_, err = change.Decide(ctx, f.db, f.leader, r.ID, change.Decision{Version: r.Version, Action: change.ActionReject}, "")
	if fieldErr(err, "reason") != "请填写不通过原因" {
		t.Errorf("reject without reason: %v", err)
	}
	r, err = change.Decide(ctx, f.db, f.leader, r.ID, change.Decision{Version: r.Version, Action: change.ActionReject, RejectReason: "调入单位编码填写有误"}, "")
	if err != nil || r.State != change.StateRejected {
		t.Fatalf("reject: %+v %v", r, err)
	}
	in := f.input("省内调动（调离本单位）")
	in.Version = r.Version
	r, err = change.Resubmit(ctx, f.db, f.commissioner, r.ID, in, "")
	if err != nil || r.State != change.StateUnitReview {
		t.Fatalf("resubmit: %+v %v", r, err)
	}
	r, err = change.Decide(ctx, f.db, f.leader, r.ID, change.Decision{Version: r.Version, Action: change.ActionApprove}, "")
	if err != nil || r.State != change.StateApproved {
		t.Fatalf("approve: %+v %v", r, err)
	}
	history, _ := change.History(ctx, f.db, r.ID)
	steps := change.Flow(r, history)
	if steps[0].Status != "done" || steps[1].Status != "done" || steps[2].Status != "current" || steps[1].By != "李四" {
		t.Errorf("flow %+v", steps)
	}
	r, err = change.Decide(ctx, f.db, f.leader, r.ID, change.Decision{Version: r.Version, Action: change.ActionDelete}, "")
	if err != nil || r.StateLabel != "已删除（单位负责人删除）" {
		t.Fatalf("delete: %+v %v", r, err)
	}
	page, _ := change.List(ctx, f.db, change.Filter{}.Scope(f.commissioner))
	if page.Total != 1 || page.Items[0].State != change.StateDeleted {
		t.Errorf("the commissioner should see the deletion: %+v", page)
	}
	w, _ := change.Apply(ctx, f.db, f.commissioner, f.input("退休"), "")
	if w, err = change.Decide(ctx, f.db, f.commissioner, w.ID, change.Decision{Version: w.Version, Action: change.ActionWithdraw}, ""); err != nil || w.State != change.StateWithdrawn {
		t.Errorf("withdraw: %+v %v", w, err)
	}
	if _, err := change.Decide(ctx, f.db, f.commissioner, w.ID, change.Decision{Version: w.Version, Action: change.ActionApprove}, ""); err == nil {
		t.Error("a commissioner approved a request")
	}
}

func TestChangeBatchAndEffects(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	svc := &batch.Service{DB: f.db, Files: files.NewStore(dir), PackagesDir: filepath.Join(dir, "packages")}
	mover := f.input("单位内部调动")
	mover.NewDepartmentID = f.dept2
	var ids []int64
	for _, in := range []change.Input{mover, f.input("去世")} {
		r, err := change.Apply(ctx, f.db, f.commissioner, in, "")
		if err != nil {
			t.Fatal(err)
		}
		r, _ = change.Decide(ctx, f.db, f.leader, r.ID, change.Decision{Version: r.Version, Action: change.ActionApprove}, "")
		ids = append(ids, r.ID)
	}
	if _, err := batch.Create(ctx, f.db, change.Kind, f.leader, nil, batch.Contact{Person: "张三", Phone: "0531-88364000"}, ""); err == nil {
		t.Error("an empty change batch was accepted")
	}
	b, err := batch.Create(ctx, f.db, change.Kind, f.leader, ids, batch.Contact{Person: "张三", Phone: "0531-88364000"}, "")
	if err != nil || !strings.HasPrefix(b.Number, "BG") {
		t.Fatalf("create: %+v %v", b, err)
	}
	if _, err := change.Decide(ctx, f.db, f.leader, ids[0], change.Decision{Version: 4, Action: change.ActionDelete}, ""); !strings.Contains(errText(err), "已在汇总提交批次中") {
		t.Errorf("deleting a request in a batch: %v", err)
	}
	if _, err := svc.Export(ctx, change.Kind, f.leader, b.ID, "", func(int, int) {}); err != nil {
		t.Fatal(err)
	}
	exports, _ := batch.Exports(ctx, f.db, b.ID)
	if len(exports) != 2 || exports[0].Name != "专家变动一览表.xlsx" || exports[1].Name != "专家变动一览表.pdf" {
		t.Errorf("exports %+v", exports)
	}
	scan, _ := svc.Files.Put(bytes.NewReader([]byte("%PDF-1.4 stamped")), "scan.pdf")
	svc.AttachScan(ctx, change.Kind, f.leader, b.ID, scan, "")
	b, err = svc.Submit(ctx, change.Kind, f.leader, b.ID, testdb.Password, "", func(int, int) {})
	if err != nil {
		t.Fatal(err)
	}
	provPriv, provPub, _ := sign.GenerateKeyPair()
	pk, _ := sign.ParsePrivatePEM([]byte(provPriv))
	receipt := filepath.Join(dir, "r.zip")
	if _, err := pack.MakeReceipt(svc.PackagePath(b), pk, nil, clock.Now(), receipt); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(receipt)
	rc, err := pack.ReadReceipt(bytes.NewReader(data), []byte(provPub))
	if err != nil || rc.Batch.KindLabel != "专家变动" {
		t.Fatalf("receipt: %+v %v", rc, err)
	}
	if _, err := svc.ImportReceipt(ctx, map[string]batch.Kind{"change": change.Kind}, f.leader, rc, ""); err != nil {
		t.Fatal(err)
	}
	tal, _ := talent.ByID(ctx, f.db, f.holder.ID)
	held, _ := card.HeldBy(ctx, f.db, f.holder.ID)
	if tal.DepartmentID != f.dept2 {
		t.Errorf("internal move did not update the department: %d", tal.DepartmentID)
	}
	if held.Status != "已失效" || held.InvalidReason != "去世" {
		t.Errorf("card after 去世: %+v", held)
	}
	r, _ := change.ByID(ctx, f.db, ids[1])
	history, _ := change.History(ctx, f.db, r.ID)
	for _, s := range change.Flow(r, history) {
		if s.Status != "done" {
			t.Errorf("step %s is %s after acceptance", s.Name, s.Status)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestEmptyRequestNamesEveryField(t *testing.T) {
	f := newFixture(t)
	_, err := change.Apply(ctx, f.db, f.commissioner, change.Input{}, "")
	for _, field := range []string{"talent_id", "change_type_id", "change_date", "description"} {
		if fieldErr(err, field) == "" {
			t.Errorf("%s not named: %v", field, err)
		}
	}
}

// TestChangeDateIsTheOfficeDay: at 00:30 in China (16:30 UTC the day
// before) the office's today is a valid 变动发生日期 and its tomorrow is
// not, whatever the computer's time zone.
func TestChangeDateIsTheOfficeDay(t *testing.T) {
	now := time.Now().UTC()
	evening := time.Date(now.Year(), now.Month(), now.Day(), 16, 30, 0, 0, time.UTC)
	defer clock.Set(func() time.Time { return evening })()
	f := newFixture(t)
	in := f.input("退休")
	in.ChangeDate = clocktest.Date(0, 0, 1)
	if _, err := change.Apply(ctx, f.db, f.commissioner, in, ""); fieldErr(err, "change_date") == "" {
		t.Errorf("the office's tomorrow (%s) was taken: %v", in.ChangeDate, err)
	}
	in.ChangeDate = clocktest.Date(0, 0, 0)
	if _, err := change.Apply(ctx, f.db, f.commissioner, in, ""); err != nil {
		t.Errorf("the office's today (%s) was refused: %v", in.ChangeDate, err)
	}
}
