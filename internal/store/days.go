package store

import (
	"time"

	"huicai/internal/apperr"
	"huicai/internal/clock"
)

// Days adds "column falls on the days from … to" (YYYY-MM-DD, both
// inclusive, either empty for open) over a column of stored times, the
// days as the office counts them (UTC+8). field names the filter in the
// error a malformed day gets.
func (q *Query) Days(field, column, from, to string) *Query {
	return q.dayRange(field, from, to, func(day time.Time) string { return Timestamp(day.In(clock.China)) }, column)
}

// Dates adds the same over a column of dates (YYYY-MM-DD).
func (q *Query) Dates(field, column, from, to string) *Query {
	return q.dayRange(field, from, to, func(day time.Time) string { return day.Format(time.DateOnly) }, column)
}

func (q *Query) dayRange(field, from, to string, value func(day time.Time) string, column string) *Query {
	for i, s := range []string{from, to} {
		if s == "" {
			continue
		}
		day, err := time.ParseInLocation(time.DateOnly, s, clock.China)
		if err != nil {
			q.fail(apperr.InvalidField(field, "日期“"+s+"”无法识别，请按 年-月-日 选择"))
			return q
		}
		if i == 0 {
			q.Where(column+" >= ?", value(day))
		} else {
			q.Where(column+" < ?", value(day.AddDate(0, 0, 1)))
		}
	}
	return q
}
