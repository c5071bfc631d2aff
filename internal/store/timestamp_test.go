package store

import (
	"sort"
	"testing"
	"time"
)

func TestTimestampsHaveOneWidthAndSortAsTimes(t *testing.T) {
	base := time.Date(2026, 11, 29, 8, 30, 5, 0, time.FixedZone("CST", 8*3600))
	times := []time.Time{base.Add(time.Second), base, base.Add(500 * time.Millisecond), base.Add(time.Microsecond), base.Add(-time.Hour)}
	var stamps []string
	for _, tm := range times {
		s := Timestamp(tm)
		if len(s) != len(TimestampLayout) {
			t.Errorf("%v is written %q: width %d, want %d", tm, s, len(s), len(TimestampLayout))
		}
		back, err := ParseTime(s)
		if err != nil || !back.Equal(tm) {
			t.Errorf("%q reads back as %v (%v), want %v", s, back, err, tm)
		}
		stamps = append(stamps, s)
	}
	sort.Strings(stamps)
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for i := range times {
		if stamps[i] != Timestamp(times[i]) {
			t.Errorf("as text, place %d holds %s; as times, %s", i, stamps[i], Timestamp(times[i]))
		}
	}
	if Timestamp(base) != "2026-11-29T00:30:05.000000Z" {
		t.Errorf("Timestamp = %s, want UTC", Timestamp(base))
	}
}

func TestFixTimesRewritesOldTextsToTheFixedWidth(t *testing.T) {
	db, err := Open(ctx, t.TempDir(), []Migration{{Version: 1, Name: "t: stamped", Up: Exec(
		`CREATE TABLE stamped (id INTEGER PRIMARY KEY, at TEXT NOT NULL, other TEXT NOT NULL)`,
		`INSERT INTO stamped(at, other) VALUES
			('2026-11-29T08:30:05Z', '2026-11-29T08:30:05Z'),
			('2026-11-29T08:30:05.5Z', ''),
			('2026-11-29T08:30:05.123456789Z', ''),
			('2026-11-29T16:30:05+08:00', ''),
			('', ''),
			('2026-01-01', '')`,
	)}, {Version: 2, Name: "t: fixed", Up: FixTimesStep(map[string][]string{"stamped": {"at"}})}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT at, other FROM stamped ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	want := []string{"2026-11-29T08:30:05.000000Z", "2026-11-29T08:30:05.500000Z", "2026-11-29T08:30:05.123456Z",
		"2026-11-29T08:30:05.000000Z", "", "2026-01-01"}
	for i := 0; rows.Next(); i++ {
		var at, other string
		rows.Scan(&at, &other)
		if at != want[i] {
			t.Errorf("row %d: at = %q, want %q", i+1, at, want[i])
		}
		if i == 0 && other != "2026-11-29T08:30:05Z" {
			t.Errorf("a column not named was rewritten: %q", other)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}
