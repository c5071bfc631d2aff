package clock

import (
	"testing"
	"time"
)

func TestSetAndRestore(t *testing.T) {
	fixed := time.Date(2031, 6, 1, 9, 0, 0, 0, time.UTC)
	restore := Set(func() time.Time { return fixed })
	if !Now().Equal(fixed) {
		t.Fatalf("Now = %v, want %v", Now(), fixed)
	}
	restore()
	if d := time.Since(Now()); d < -time.Minute || d > time.Minute {
		t.Fatalf("restored clock is %v off", d)
	}
}

func TestShiftToKeepsPace(t *testing.T) {
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	restore := Set(ShiftTo(day))
	defer restore()
	a := Now()
	if y, m, d := a.In(China).Date(); y != 2025 || m != 1 || d != 1 {
		t.Fatalf("shifted to %v, want 2025-01-01 in China", a)
	}
	time.Sleep(5 * time.Millisecond)
	if !Now().After(a) {
		t.Fatal("the shifted clock stands still")
	}
}

// TestTodayIsTheOfficeDay: after 16:00 UTC the office in China is already
// on the next day, whatever the computer's time zone.
func TestTodayIsTheOfficeDay(t *testing.T) {
	for utc, want := range map[string]string{
		"2026-11-30T15:59:59Z": "2026-11-30",
		"2026-11-30T16:00:00Z": "2026-12-01",
		"2026-12-31T23:30:00Z": "2027-01-01",
	} {
		at, _ := time.Parse(time.RFC3339, utc)
		restore := Set(func() time.Time { return at.In(time.UTC) })
		if got := Today(); got != want {
			t.Errorf("at %s: Today() = %s, want %s", utc, got, want)
		}
		restore()
	}
}
