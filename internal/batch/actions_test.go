package batch_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/batch"
	"huicai/internal/card"
	"huicai/internal/clock"
	"huicai/internal/pack"
	"huicai/internal/sign"
	"huicai/internal/talent"
	"huicai/internal/testdb"
)

func TestBatchesSayWhatTheLeaderMayDo(t *testing.T) {
	f := newFixture(t, 1)
	b := f.create(t)
	listed := func() string {
		list, err := batch.List(ctx, f.svc.DB, f.leader, "", 1, 10)
		if err != nil || len(list.Items) != 1 || list.Total != 1 {
			t.Fatalf("list: %+v %v", list, err)
		}
		return strings.Join(list.Items[0].Actions, ",")
	}
	if got := strings.Join(b.Actions, ","); got != "edit,export,cancel" || listed() != got {
		t.Errorf("a draft: %s (listed: %s)", got, listed())
	}
	b, err := f.svc.Export(ctx, card.Kind, f.leader, b.ID, "", noProgress)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(b.Actions, ","); got != "scan,cancel" || listed() != got {
		t.Errorf("exported, no scan yet: %s (listed: %s)", got, listed())
	}
	f.scan(t, b.ID)
	if got := listed(); got != "scan,submit,cancel" {
		t.Errorf("exported and scanned: %s", got)
	}
	b, err = f.svc.Submit(ctx, card.Kind, f.leader, b.ID, testdb.Password, "", noProgress)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(b.Actions, ","); got != "receipt" {
		t.Errorf("submitted: %s", got)
	}
}

// submitted is a new batch of the fixture's applications, exported,
// stamped and submitted.
func (f *fixture) submitted(t *testing.T) batch.Batch {
	t.Helper()
	b := f.create(t)
	if _, err := f.svc.Export(ctx, card.Kind, f.leader, b.ID, "", noProgress); err != nil {
		t.Fatal(err)
	}
	f.scan(t, b.ID)
	b, err := f.svc.Submit(ctx, card.Kind, f.leader, b.ID, testdb.Password, "", noProgress)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestARefusedApplicationMayBeRenewedOnce has the province refuse an
// application: its commissioner may 重新申领 it until they have.
func TestARefusedApplicationMayBeRenewedOnce(t *testing.T) {
	f := newFixture(t, 1)
	b := f.submitted(t)
	priv, pub, _ := sign.GenerateKeyPair()
	pk, _ := sign.ParsePrivatePEM([]byte(priv))
	path := filepath.Join(t.TempDir(), "receipt.zip")
	if _, err := pack.MakeReceipt(f.svc.PackagePath(b), pk, map[int64]string{f.apps[0]: "材料不全"}, clock.Now(), path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	rc, err := pack.ReadReceipt(bytes.NewReader(data), []byte(pub))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ImportReceipt(ctx, map[string]batch.Kind{"card": card.Kind}, f.leader, rc, ""); err != nil {
		t.Fatal(err)
	}
	a, _ := card.ByID(ctx, f.svc.DB, f.apps[0])
	tal, _ := talent.ByID(ctx, f.svc.DB, a.TalentID)
	commissioner, _ := account.UserByID(ctx, f.svc.DB, tal.CommissionerID)
	mayDo := func(id int64) string {
		a, _, err := card.Visible(ctx, f.svc.DB, commissioner, id)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(a.Actions, ",")
	}
	if got := mayDo(a.ID); got != "renew" {
		t.Errorf("refused by the province: the commissioner may %q", got)
	}
	fresh, err := card.Renew(ctx, f.svc.DB, commissioner, a.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := mayDo(a.ID) + "|" + mayDo(fresh.ID); got != "|save,submit" {
		t.Errorf("renewed: the old and new applications allow %s", got)
	}
	page, _ := card.List(ctx, f.svc.DB, card.Filter{}.Scope(commissioner))
	for _, row := range page.Items {
		if row.ID == a.ID && len(row.Actions) != 0 {
			t.Errorf("the list offers %v on the renewed application", row.Actions)
		}
	}
}
