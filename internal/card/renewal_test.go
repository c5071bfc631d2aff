package card_test

import (
	"strings"
	"testing"
	"time"

	"huicai/internal/apperr"
	"huicai/internal/card"
	"huicai/internal/clock"
	"huicai/internal/clock/clocktest"
	"huicai/internal/testdb"
)

// TestACardDueIsRemindedAndRenewed: a card lapsing within 90 days is
// counted by the reminders as 持卡人才 lists it, offers 到期重新申领 to the
// bound commissioner, and renewing opens the next application; a card not
// yet due, the leader, or a second renewal are refused.
func TestACardDueIsRemindedAndRenewed(t *testing.T) {
	f := newFixture(t)
	now := clock.Now()
	// wangkun's untouched application goes when a card is recorded by import (dropUntouched), so
	// the card here is recorded one by one and the application closed by hand as issued.
	issued := now.AddDate(-5, 2, 0).Format("2006-01-02") // lapses in about 60 days
	if _, err := f.db.Exec(`UPDATE card_applications SET state = 'issued' WHERE id = ?`, f.app.ID); err != nil {
		t.Fatal(err)
	}
	c, err := card.RecordExisting(ctx, f.db, f.leader, card.ExistingCard{TalentID: f.app.TalentID, CardNo: "鲁惠才2021000001", IssuedOn: issued}, "")
	if err != nil {
		t.Fatal(err)
	}
	reminders, err := card.ExpiryReminders(ctx, f.db, f.commissioner.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range reminders {
		got[r.Key] = r.Count
	}
	if got[card.RemindExpiry90] != 1 || got[card.RemindExpiry30] != 0 || got[card.RemindExpired] != 0 {
		t.Errorf("reminders %v for a card lapsing on %s", got, c.ExpiresOn)
	}
	page, _ := card.Holders(ctx, f.db, card.HolderFilter{CommissionerID: f.commissioner.ID, Status: card.StatusValid,
		ExpiresTo: reminders[2].Date})
	if page.Total != got[card.RemindExpiry90] {
		t.Errorf("the list under the reminder's filter has %d, the reminder %d", page.Total, got[card.RemindExpiry90])
	}
	if h := page.Items[0].For(f.commissioner, now); !strings.Contains(strings.Join(h.Actions, ","), card.ActionRenewCard) {
		t.Errorf("commissioner's actions %v", h.Actions)
	}
	if h := page.Items[0].For(f.leader, now); len(h.Actions) != 0 {
		t.Errorf("leader's actions %v", h.Actions)
	}
	if _, err := card.RenewCard(ctx, f.db, f.leader, f.app.TalentID, ""); code(err) != apperr.CodeForbidden {
		t.Errorf("the leader renews: %v", err)
	}
	fresh, err := card.RenewCard(ctx, f.db, f.commissioner, f.app.TalentID, "")
	if err != nil || fresh.State != card.StateSupplement || fresh.ID == f.app.ID {
		t.Fatalf("renew: %+v %v", fresh, err)
	}
	if _, err := card.RenewCard(ctx, f.db, f.commissioner, f.app.TalentID, ""); code(err) != apperr.CodeConflict {
		t.Errorf("a second renewal while one is open: %v", err)
	}
	if !strings.Contains(strings.Join(testdb.AuditActions(t, f.db), ","), "到期重新申领") {
		t.Error("no audit row for the renewal")
	}
}

// TestACardNotYetDueIsNotRenewed: more than 90 days before it lapses, a
// card cannot be renewed.
func TestACardNotYetDueIsNotRenewed(t *testing.T) {
	f := newFixture(t)
	f.db.Exec(`UPDATE card_applications SET state = 'issued' WHERE id = ?`, f.app.ID)
	if _, err := card.RecordExisting(ctx, f.db, f.leader, card.ExistingCard{TalentID: f.app.TalentID, CardNo: "鲁惠才2025000001",
		IssuedOn: clock.Now().AddDate(-1, 0, 0).Format("2006-01-02")}, ""); err != nil {
		t.Fatal(err)
	}
	before := testdb.Snapshot(t, f.db)
	if _, err := card.RenewCard(ctx, f.db, f.commissioner, f.app.TalentID, ""); code(err) != apperr.CodeConflict {
		t.Errorf("renewing a card years from lapsing: %v", err)
	}
	if testdb.Snapshot(t, f.db) != before {
		t.Error("a refused renewal changed the database")
	}
}

// TestDaysLeftCountFromTheOfficeDay: at 00:30 in China (16:30 UTC the day
// before) a talent's days left count from the office's day.
func TestDaysLeftCountFromTheOfficeDay(t *testing.T) {
	f := newFixture(t)
	if _, err := f.db.Exec(`UPDATE card_applications SET state = 'issued' WHERE id = ?`, f.app.ID); err != nil {
		t.Fatal(err)
	}
	c, err := card.RecordExisting(ctx, f.db, f.leader, card.ExistingCard{TalentID: f.app.TalentID, CardNo: "鲁惠才2025000001",
		IssuedOn: clocktest.Date(-1, 0, 0)}, "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	evening := time.Date(now.Year(), now.Month(), now.Day(), 16, 30, 0, 0, time.UTC)
	officeDay := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC) // 00:30 in China
	expires, _ := time.Parse(time.DateOnly, c.ExpiresOn)
	want := int(expires.Sub(officeDay).Hours() / 24)
	mine, ok, err := card.MyCardOf(ctx, f.db, f.app.TalentID, evening)
	if err != nil || !ok || mine.DaysLeft != want {
		t.Errorf("days left at %s for a card lapsing on %s: %d (%v), want %d", evening, c.ExpiresOn, mine.DaysLeft, err, want)
	}
}
