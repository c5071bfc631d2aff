//go:build testclock

package app

import "huicai/internal/clock/clocktest"

// The test build (go build -tags testclock) believes today is the day named
// by HUICAI_FAKE_TODAY (YYYY-MM-DD), when set, so that the end-to-end tests
// can run the program years from now: cards expire, change dates are checked
// against that day. Release builds carry no such switch.
func init() { clocktest.ShiftFromEnv("HUICAI_FAKE_TODAY") }
