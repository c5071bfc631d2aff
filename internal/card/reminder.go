package card

import (
	"context"
	"errors"
	"time"

	"huicai/internal/clock"
	"huicai/internal/flow"
	"huicai/internal/store"
)

// Reminder keys of cards (到期提醒), each the holders list under a filter.
const (
	RemindExpired  = "card_expired"  // the latest card has lapsed: 已过期, not renewed
	RemindExpiry30 = "card_expiry30" // valid, lapsing within 30 days
	RemindExpiry90 = "card_expiry90" // valid, lapsing within 90 days
)

// ExpiryReminders counts the cards lapsed or lapsing within 30 and 90
// days among the latest cards of the talents (a commissioner's bound ones
// when commissionerID is set): exactly what 持卡人才 lists under the
// same filter, with the day each filter ends.
func ExpiryReminders(ctx context.Context, q store.Querier, commissionerID int64, today time.Time) ([]flow.Reminder, error) {
	in := func(days int) string { return clock.Day(today.AddDate(0, 0, days)) }
	out := []flow.Reminder{
		{Key: RemindExpired, Label: "已过期未续办的惠才卡", Level: "danger"},
		{Key: RemindExpiry30, Label: "30 天内到期的惠才卡", Level: "warning", Date: in(30)},
		{Key: RemindExpiry90, Label: "90 天内到期的惠才卡", Level: "info", Date: in(90)},
	}
	for i, r := range out {
		f := HolderFilter{CommissionerID: commissionerID, Status: StatusValid, ExpiresTo: r.Date, PageSize: 1}
		if r.Key == RemindExpired {
			f.Status = StatusExpired
		}
		page, err := Holders(ctx, q, f)
		if err != nil {
			return nil, err
		}
		out[i].Count = page.Total
	}
	return out, nil
}

// MyCard is a talent's latest card as 系统首页 shows it.
type MyCard struct {
	Card
	// DaysLeft counts the days until it lapses (negative once lapsed).
	DaysLeft int `json:"days_left"`
}

// MyCardOf returns talentID's latest card; ok is false when they hold none.
func MyCardOf(ctx context.Context, q store.Querier, talentID int64, today time.Time) (MyCard, bool, error) {
	c, err := HeldBy(ctx, q, talentID)
	if errors.Is(err, ErrNoCard) {
		return MyCard{}, false, nil
	}
	if err != nil {
		return MyCard{}, false, err
	}
	expires, _ := time.Parse("2006-01-02", c.ExpiresOn)
	office := today.In(clock.China)
	day := time.Date(office.Year(), office.Month(), office.Day(), 0, 0, 0, 0, time.UTC)
	return MyCard{Card: c, DaysLeft: int(expires.Sub(day).Hours() / 24)}, true, nil
}
