package store

import (
	"database/sql"
	"strings"
	"testing"

	"huicai/internal/apperr"
	"huicai/internal/clock"
)

func TestDaysAreTheOfficesDays(t *testing.T) {
	db, err := Open(ctx, t.TempDir(), []Migration{{Version: 1, Name: "t: events", Up: Exec(
		`CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT NOT NULL, day TEXT NOT NULL)`)}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// 2026-11-30 23:30 in Jinan is 15:30 UTC; 2026-12-01 00:30 is 16:30 UTC on the 30th.
	for i, at := range []string{"2026-11-29T15:59:00Z", "2026-11-30T15:30:00Z", "2026-11-30T16:30:00Z"} {
		at, _ := ParseTime(at)
		db.Exec(`INSERT INTO events(id, at, day) VALUES (?, ?, ?)`, i+1, Timestamp(at), clock.Day(at))
	}
	for _, c := range []struct {
		from, to string
		want     int
	}{{"2026-11-30", "2026-11-30", 1}, {"2026-11-30", "", 2}, {"", "2026-11-30", 2}, {"", "", 3}, {"2026-12-02", "", 0}} {
		for _, q := range []*Query{From("events").Days("at", "at", c.from, c.to), From("events").Dates("day", "day", c.from, c.to)} {
			if n, err := q.Count(ctx, db); err != nil || n != c.want {
				t.Errorf("%s..%s: %d, %v; want %d", c.from, c.to, n, err, c.want)
			}
		}
	}
	_, err = List(ctx, db, From("events").Days("from", "at", "2026-13-01", ""), View[int]{Key: "id", Columns: "id", Scan: func(r *sql.Rows) (int, error) {
		var id int
		return id, r.Scan(&id)
	}}, "id", 1, 10)
	if e, ok := apperr.As(err); !ok || !strings.Contains(e.Fields["from"], "2026-13-01") {
		t.Errorf("a malformed day: %v", err)
	}
}
