package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"huicai/internal/testkit"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"huicai/internal/account"
	"huicai/internal/pack"
)

// raceParallel is how many identical requests each race sends at once.
const raceParallel = 20

// raceCase is one state-changing request that exactly one of many identical
// parallel calls may carry out.
type raceCase struct {
	name string
	// prepare brings a fresh fixture to where the request is allowed once,
	// and returns the request's path and body (sent as the leader).
	prepare func(t *testing.T, f *roleFixture) (path, body string)
	// action and object pick the audit rows one success writes.
	action, object string
	// won reports which answers carried the request out (by default 200,
	// with every other answer 409).
	won func(t *testing.T, f *roleFixture, answers []answer) int
	// check looks at the result after the race and returns figures of it.
	check func(t *testing.T, f *roleFixture) map[string]int
}

// send sends one JSON request without touching t, so that goroutines may call it.
func send(h http.Handler, path, token, body string) answer {
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	out := answer{Status: rec.Code, Raw: rec.Body.String()}
	json.Unmarshal(rec.Body.Bytes(), &out.Body)
	return out
}

// stampede sends n identical requests released together and returns the answers.
func stampede(f *roleFixture, n int, path, body string) []answer {
	answers := make([]answer, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			answers[i] = send(f.h, path, f.tokens[account.RoleLeader], body)
		}()
	}
	close(start)
	wg.Wait()
	return answers
}

// wonOnce counts the 200s and wants a 409 for every other answer.
func wonOnce(t *testing.T, _ *roleFixture, answers []answer) int {
	won := 0
	for _, r := range answers {
		switch r.Status {
		case 200:
			won++
		case 409:
		default:
			t.Errorf("answer %d %s, want 200 once and 409 otherwise", r.Status, r.Raw)
		}
	}
	return won
}

// jobsWonOnce waits for every started job and counts those done; the others
// must be refused (409: the batch is busy with another job) or fail as a
// conflict.
func jobsWonOnce(t *testing.T, f *roleFixture, answers []answer) int {
	won := 0
	for _, r := range answers {
		if r.Status == 409 {
			continue
		}
		s := f.waitJob(t, r)
		e, _ := s["error"].(map[string]any)
		switch {
		case s["state"] == "done":
			won++
		case s["state"] != "failed" || e["code"] != "conflict":
			t.Errorf("job %v, want done once and failed as a conflict otherwise", s)
		}
	}
	return won
}

func auditCount(t *testing.T, f *roleFixture, action, object string) int {
	var n int
	if err := f.a.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = ? AND object LIKE ?`, action, object).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// openBatch approves the fixture's application and gathers it into a batch.
func openBatch(t *testing.T, f *roleFixture) string {
	f.approve(t)
	r := call(t, f.h, "POST", "/api/batches", f.tokens[account.RoleLeader],
		fmt.Sprintf(`{"kind":"card","item_ids":[%d],"contact_person":"张三","contact_phone":"0531-88364000"}`, f.app))
	if r.Status != 200 {
		t.Fatalf("create batch: %s", r.Raw)
	}
	return fmt.Sprintf("/api/batches/%d", int64(r.Body["id"].(float64)))
}

// readyBatch is a batch exported and with its stamped scan: ready to submit.
func readyBatch(t *testing.T, f *roleFixture) string {
	base := openBatch(t, f)
	if s := f.waitJob(t, call(t, f.h, "POST", base+"/export", f.tokens[account.RoleLeader], "")); s["state"] != "done" {
		t.Fatalf("export: %v", s)
	}
	if s := raw(f, "POST", base+"/scan", []byte("%PDF-1.4 stamped")); s.Status != 200 {
		t.Fatalf("scan: %s", s.Raw)
	}
	return base
}

// packageIntact proves that the winner's package is kept: it downloads and
// verifies with the unit's key. It counts a package that does not as lost.
func packageIntact(t *testing.T, f *roleFixture) map[string]int {
	var id int64
	f.a.db.QueryRow(`SELECT id FROM batches WHERE state = 'submitted'`).Scan(&id)
	pkg := raw(f, "GET", fmt.Sprintf("/api/batches/%d/package/download", id), nil)
	key := raw(f, "GET", "/api/keys/unit/download", nil)
	if key.Status != 200 {
		t.Fatalf("unit key: %d %s", key.Status, key.Raw)
	}
	if _, err := pack.Verify(bytes.NewReader([]byte(pkg.Raw)), int64(len(pkg.Raw)), []byte(key.Raw)); pkg.Status != 200 || err != nil {
		t.Errorf("the submitted package after the race: %d, %d bytes, %v", pkg.Status, len(pkg.Raw), err)
		return map[string]int{"packages_lost": 1}
	}
	return map[string]int{"packages_lost": 0}
}

var raceCases = []raceCase{
	{name: "review", action: "单位审核通过", object: "惠才卡申领 #%", won: wonOnce,
		prepare: func(t *testing.T, f *roleFixture) (string, string) {
			body := fmt.Sprintf(`{"version":%d,%s}`, f.version(), completeMaterials)
			if r := call(t, f.h, "POST", fmt.Sprintf("/api/applications/%d/submit", f.app), f.tokens[account.RoleCommissioner], body); r.Status != 200 {
				t.Fatalf("submit: %s", r.Raw)
			}
			return fmt.Sprintf("/api/applications/%d/review", f.app), fmt.Sprintf(`{"version":%d,"result":"approve"}`, f.version())
		}},
	{name: "staff approval", action: "审核通过", object: "%zhuanyuan3%", won: wonOnce,
		prepare: func(t *testing.T, f *roleFixture) (string, string) {
			return fmt.Sprintf("/api/staff/%d/decision", f.c3.ID), `{"action":"approve"}`
		}},
	{name: "batch cancel", action: "撤销汇总提交", object: "%汇总提交%", won: wonOnce,
		prepare: func(t *testing.T, f *roleFixture) (string, string) { return openBatch(t, f) + "/cancel", "" }},
	{name: "batch submit", action: "提交到省级审核", object: "%汇总提交%", won: jobsWonOnce, check: packageIntact,
		prepare: func(t *testing.T, f *roleFixture) (string, string) {
			return readyBatch(t, f) + "/submit", `{"password":"Leader@2026"}`
		}},
}

// TestParallelIdenticalRequestsSucceedOnce sends each state-changing
// request many times at once: exactly one carries it out, the others are
// refused as a conflict, and the audit log holds the action once.
func TestParallelIdenticalRequestsSucceedOnce(t *testing.T) {
	figures := map[string]any{}
	for _, c := range raceCases {
		t.Run(c.name, func(t *testing.T) {
			f := newRoleFixture(t)
			path, body := c.prepare(t, f)
			before := auditCount(t, f, c.action, c.object)
			won := c.won(t, f, stampede(f, raceParallel, path, body))
			if won != 1 {
				t.Errorf("%d of %d parallel requests succeeded, want exactly 1", won, raceParallel)
			}
			rows := auditCount(t, f, c.action, c.object) - before
			if rows != 1 {
				t.Errorf("%d audit rows %q, want 1", rows, c.action)
			}
			result := map[string]int{"parallel": raceParallel, "succeeded": won, "audit_rows": rows}
			if c.check != nil {
				maps.Copy(result, c.check(t, f))
			}
			figures[c.name] = result
		})
	}
	testkit.RecordSecurity(t, "races", figures)
}
