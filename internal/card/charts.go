package card

import (
	"context"
	"fmt"
	"time"

	"huicai/internal/store"
	"huicai/internal/validate"
)

// monthMigration indexes applications by when they opened, for the home
// page's applications a month and the list of one month's (Filter.Month).
var monthMigration = store.Migration{Version: 44, Name: "card: applications by opening time", Up: store.Exec(
	`CREATE INDEX card_applications_created ON card_applications(created_at)`,
)}

// validCards is the query of the cards 持卡人才 lists as 有效: each
// talent's latest card, not ended and not lapsed, with its talent.
func validCards() *store.Query {
	q := store.From(`cards c`).Where(`c.latest = 1`).Join(holderTalents)
	_ = standing(q, StatusValid) // a known standing: no error
	return q
}

// ValidCardsByDepartment counts the valid cards by the holder's 二级单位
// id: what 持卡人才 lists under 状态 有效 and that 二级单位.
func ValidCardsByDepartment(ctx context.Context, q store.Querier) (map[string]int, error) {
	out, err := validCards().CountBy(ctx, q, "t.department_id")
	if err != nil {
		return nil, fmt.Errorf("card: cards by department: %w", err)
	}
	return out, nil
}

// ValidCardsByCategory counts the valid cards by the holder's 人才类别.
func ValidCardsByCategory(ctx context.Context, q store.Querier) (map[string]int, error) {
	out, err := validCards().CountBy(ctx, q, "t.category")
	if err != nil {
		return nil, fmt.Errorf("card: cards by category: %w", err)
	}
	return out, nil
}

// ApplicationsByMonth counts the applications opened in each of the
// months months up to today's (China time), oldest first, every month
// named (2026-11) and counted, none left out.
func ApplicationsByMonth(ctx context.Context, q store.Querier, today time.Time, months int) ([]MonthCount, error) {
	china := today.In(validate.China)
	first := time.Date(china.Year(), china.Month()-time.Month(months-1), 1, 0, 0, 0, 0, validate.China)
	counts, err := store.From(`card_applications a`).Where(`a.created_at >= ?`, store.Timestamp(first)).
		CountBy(ctx, q, `substr(datetime(a.created_at, '+8 hours'), 1, 7)`)
	if err != nil {
		return nil, fmt.Errorf("card: applications by month: %w", err)
	}
	out := make([]MonthCount, months)
	for i := range out {
		m := first.AddDate(0, i, 0).Format("2006-01")
		out[i] = MonthCount{Month: m, Count: counts[m]}
	}
	return out, nil
}

// MonthCount is how many applications opened in a month.
type MonthCount struct {
	Month string `json:"month"` // 2026-11
	Count int    `json:"count"`
}
