// Package clock is the one source of the current time. Everything that
// stamps, compares or limits by time asks clock.Now, never time.Now, so
// that tests can run the whole program on another day (a card issued five
// years before "today" must expire whatever the calendar says).
package clock

import (
	"sync/atomic"
	"time"
)

var now atomic.Pointer[func() time.Time]

// Now is the current time.
func Now() time.Time {
	if fn := now.Load(); fn != nil {
		return (*fn)()
	}
	return time.Now()
}

// Set makes fn the clock until the returned function puts the previous one
// back. For tests, and for the test build's shifted clock.
func Set(fn func() time.Time) (restore func()) {
	old := now.Swap(&fn)
	return func() { now.Store(old) }
}

// ShiftTo returns a clock that runs at the normal pace but starts at day
// (midnight, China time, plus the time of day now): the program believes
// it is that day while timeouts still elapse.
func ShiftTo(day time.Time) func() time.Time {
	real := time.Now()
	local := real.In(China)
	start := time.Date(day.Year(), day.Month(), day.Day(), local.Hour(), local.Minute(), local.Second(), local.Nanosecond(), China)
	offset := start.Sub(real)
	return func() time.Time { return time.Now().Add(offset) }
}

// China is the office's time zone (UTC+8, no daylight saving): the program
// counts days and shows times in it, whatever zone the computer is set to.
var China = time.FixedZone("CST", 8*3600)

// Today is the office's date as 2006-01-02: a card's validity, the lists'
// day filters and the reminders count the office's days.
func Today() string { return Day(Now()) }

// Day is the office's date at t, as 2006-01-02.
func Day(t time.Time) string { return t.In(China).Format(time.DateOnly) }
