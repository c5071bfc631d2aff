// Package clocktest runs a test binary on another day: imported (for its
// effect) by every test that depends on dates, it moves the clock to the
// day named by HUICAI_TEST_NOW (YYYY-MM-DD) when that is set, so that
//
//	HUICAI_TEST_NOW=2031-06-01 go test ./...
//
// proves that no test expires. Only tests, and the test build
// (-tags testclock), import it.
package clocktest

import (
	"fmt"
	"os"
	"time"

	"huicai/internal/clock"
	"huicai/internal/validate"
)

// Env names the variable that holds the day the tests run on.
const Env = "HUICAI_TEST_NOW"

func init() { ShiftFromEnv(Env) }

// ShiftFromEnv moves the clock to the day (YYYY-MM-DD) held by the
// environment variable name, if it is set, and returns what puts the clock
// back; the clock keeps running at the normal pace from that day
// (clock.ShiftTo). A malformed day stops the program.
func ShiftFromEnv(name string) (restore func()) {
	day := os.Getenv(name)
	if day == "" {
		return func() {}
	}
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		panic(fmt.Sprintf("%s=%q: want a date such as 2031-06-01", name, day))
	}
	return clock.Set(clock.ShiftTo(t))
}

// Date is the clock's date (China time) moved by years, months and days,
// as YYYY-MM-DD: fixture dates are built from it, never written as literals.
func Date(years, months, days int) string {
	return clock.Now().In(validate.China).AddDate(years, months, days).Format(time.DateOnly)
}

// OnDay is the day monthDay (MM-DD) of the clock's year moved by years, as
// YYYY-MM-DD: a fixed day of the year keeps the five-year validity of a
// card clear of 29 February.
func OnDay(years int, monthDay string) string {
	return fmt.Sprintf("%d-%s", clock.Now().In(validate.China).Year()+years, monthDay)
}
