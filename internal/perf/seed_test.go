package perf

import (
	"context"
	"io"
	"log"
	"path/filepath"
	"strings"
	"testing"

	"huicai/app"
	"huicai/internal/audit"
	"huicai/internal/clock"
	_ "huicai/internal/clock/clocktest" // HUICAI_TEST_NOW
	"huicai/internal/files"
	"huicai/internal/store"
	"huicai/internal/validate"
	"huicai/internal/vault"
)

// testLog writes log lines into the test's output.
type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestSeed seeds a small installation and checks that it holds what its
// plan says, and that what it holds is valid: the ID numbers, the audit
// chain and its anchor, the encrypted attachments.
func TestSeed(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	const n = 200
	seeded, err := Seed(ctx, SeedOptions{DataDir: dir, Talents: n, Log: log.New(testLog{t}, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	db, err := app.OpenData(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkStates(t, db, "card_applications", seeded.Plan.Applications)
	checkStates(t, db, "change_requests", seeded.Plan.Changes)
	checkIDNumbers(t, db, n)
	if err := audit.CheckSinceCheckpoint(ctx, db, dir); err != nil {
		t.Fatalf("start-up audit check: %v", err)
	}
	rows, err := audit.Verify(ctx, db)
	if err != nil || rows != seeded.AuditRows || rows < 3*n {
		t.Fatalf("audit chain: %d rows (seeded %d), %v", rows, seeded.AuditRows, err)
	}
	checkAttachment(t, db, dir)
}

// checkStates checks that table's rows are in the states want names, as many in each.
func checkStates(t *testing.T, db *store.DB, table string, want []string) {
	t.Helper()
	counts := map[string]int{}
	for _, s := range want {
		counts[s]++
	}
	rows, err := db.Query(`SELECT state, COUNT(*) FROM ` + table + ` GROUP BY state`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var got int
		if err := rows.Scan(&state, &got); err != nil {
			t.Fatal(err)
		}
		if got != counts[state] {
			t.Errorf("%s in state %s: %d, want %d", table, state, got, counts[state])
		}
		delete(counts, state)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(counts) > 0 {
		t.Errorf("%s: no rows in states %v", table, counts)
	}
}

// checkIDNumbers checks that every talent's sealed ID number opens and is
// a valid 居民身份证 number of their birth date, each different.
func checkIDNumbers(t *testing.T, db *store.DB, n int) {
	t.Helper()
	rows, err := db.Query(`SELECT id_number, birth_date FROM talents`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var sealed, birth string
		if err := rows.Scan(&sealed, &birth); err != nil {
			t.Fatal(err)
		}
		id, err := vault.Open(sealed)
		if err != nil {
			t.Fatal(err)
		}
		parsed, problem := validate.ParseResidentID(id, clock.Now())
		if problem != "" || parsed.Birth.Format("2006-01-02") != birth || seen[id] {
			t.Errorf("ID number %s (born %s): %q, seen before: %v", id, birth, problem, seen[id])
		}
		seen[id] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(seen) != n {
		t.Errorf("%d talents, want %d", len(seen), n)
	}
}

// checkAttachment reads the largest attachment back from the file store:
// encrypted at rest, whole when opened.
func checkAttachment(t *testing.T, db *store.DB, dir string) {
	t.Helper()
	var id int64
	if err := db.QueryRow(`SELECT f.id FROM card_attachments a JOIN files f ON f.id = a.file_id
		ORDER BY f.size DESC LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	f, err := files.ByID(context.Background(), db, id)
	if err != nil {
		t.Fatal(err)
	}
	r, err := files.NewStore(dir).Open(f)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n, err := io.Copy(io.Discard, r)
	if err != nil || n != f.Size || n < bigProof*8/10 {
		t.Fatalf("attachment %s: read %d of %d bytes: %v", f.Name, n, f.Size, err)
	}
}
