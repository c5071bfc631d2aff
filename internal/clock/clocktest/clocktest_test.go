package clocktest

import "testing"

func TestShiftFromEnvAndDates(t *testing.T) {
	t.Setenv("HUICAI_TEST_DAY", "2031-06-01")
	defer ShiftFromEnv("HUICAI_TEST_DAY")()
	for _, c := range []struct{ got, want string }{
		{Date(0, 0, 0), "2031-06-01"},
		{Date(0, 0, -7), "2031-05-25"},
		{Date(-1, 0, 0), "2030-06-01"},
		{OnDay(-1, "06-15"), "2030-06-15"},
		{OnDay(4, "06-14"), "2035-06-14"},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
}

func TestShiftFromEnvUnsetLeavesTheClock(t *testing.T) {
	t.Setenv("HUICAI_TEST_DAY", "")
	before := Date(0, 0, 0)
	defer ShiftFromEnv("HUICAI_TEST_DAY")()
	if Date(0, 0, 0) != before {
		t.Errorf("the clock moved to %s", Date(0, 0, 0))
	}
}
