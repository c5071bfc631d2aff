package app

import (
	"context"
	"fmt"
	"huicai/internal/testkit"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/card"
	"huicai/internal/job"
	"huicai/internal/testdb"
)

// idorMissing are values no object has, for every path placeholder.
var idorMissing = map[string]string{"id": "999999", "aid": "999998", "file": "999997", "name": "huicai-manual-20000101-000000.zip"}

// placeholder finds the {id}, {aid}, {file} and {name} wildcards of a route pattern.
var placeholder = regexp.MustCompile(`\{(\w+)\}`)

// idorAttack is an object that a user of role does not own, tried on every
// route of that role whose path starts with prefix.
type idorAttack struct {
	role   account.Role
	prefix string
	ids    map[string]string
	what   string
}

// idorFixture is the role fixture with a second commissioner and a second
// talent as the attackers: c2 now looks after t2, whose application (app2)
// has an attachment of its own, while c1 owns t1, its application, its
// attachments and a change report.
type idorFixture struct {
	*roleFixture
	attackers   map[account.Role]string
	app2        int64
	attachment2 int64
	change      int64
	job         string
}

func newIDORFixture(t *testing.T) *idorFixture {
	f := &idorFixture{roleFixture: newRoleFixture(t)}
	leader, _ := account.UserByID(context.Background(), f.a.db, 1)
	testdb.Bind(t, f.a.db, leader, f.c2, f.t2)
	f.attackers = map[account.Role]string{account.RoleLeader: f.tokens[account.RoleLeader],
		account.RoleCommissioner: f.signIn(t, "zhuanyuan2"), account.RoleTalent: f.signIn(t, "rencai2")}
	app2, err := card.Current(context.Background(), f.a.db, f.t2)
	if err != nil {
		t.Fatal(err)
	}
	f.app2 = app2.ID
	r := call(t, f.h, "POST", fmt.Sprintf("/api/applications/%d/attachments/choose", f.app2), f.attackers[account.RoleCommissioner], `{"kind":"other"}`)
	id, _ := r.Body["id"].(float64)
	if f.attachment2 = int64(id); r.Status != 200 || id == 0 {
		t.Fatalf("c2 attaches to app2: %s", r.Raw)
	}
	_, _, body := f.sample("POST /api/changes")
	if r := call(t, f.h, "POST", "/api/changes", f.tokens[account.RoleCommissioner], body); r.Status != 200 {
		t.Fatalf("c1 reports a change: %s", r.Raw)
	}
	f.a.db.QueryRow(`SELECT MAX(id) FROM change_requests`).Scan(&f.change)
	f.job = f.a.jobs.Start(f.c1.ID, func(context.Context, job.Progress) (any, error) { return nil, nil }).ID
	f.a.jobs.Wait(f.c1.ID, f.job)
	return f
}

func (f *idorFixture) signIn(t *testing.T, username string) string {
	t.Helper()
	r := call(t, f.h, "POST", "/api/session", "", fmt.Sprintf(`{"username":%q,"password":%q}`, username, testdb.Password))
	token, _ := r.Body["token"].(string)
	if token == "" {
		t.Fatalf("login %s: %s", username, r.Raw)
	}
	return token
}

func (f *idorFixture) userID(t *testing.T, username string) string {
	var id int64
	if err := f.a.db.QueryRow(`SELECT id FROM users WHERE username = ?`, username).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(id)
}

// attacks are the objects each role's attacker does not own.
func (f *idorFixture) attacks(t *testing.T) []idorAttack {
	app1, att1, app2, att2 := fmt.Sprint(f.app), fmt.Sprint(f.attachment), fmt.Sprint(f.app2), fmt.Sprint(f.attachment2)
	c, tl, l := account.RoleCommissioner, account.RoleTalent, account.RoleLeader
	return []idorAttack{
		{c, "/api/talents/{id}", map[string]string{"id": fmt.Sprint(f.t1)}, "another commissioner's talent"},
		{c, "/api/applications/{id}", map[string]string{"id": app1, "aid": att1}, "another commissioner's application and attachment"},
		{c, "/api/applications/{id}/attachments/{aid}", map[string]string{"id": app2, "aid": att1}, "another's attachment under an own application"},
		{c, "/api/changes/{id}", map[string]string{"id": fmt.Sprint(f.change)}, "another commissioner's change report"},
		{tl, "/api/applications/{id}", map[string]string{"id": app1, "aid": att1}, "another talent's application and attachment"},
		{tl, "/api/applications/{id}/attachments/{aid}", map[string]string{"id": app2, "aid": att1}, "another talent's attachment under an own application"},
		{l, "/api/applications/{id}/attachments/{aid}", map[string]string{"id": app2, "aid": att1}, "an attachment under the wrong application"},
		{l, "/api/applications/{id}/attachments/{aid}", map[string]string{"id": app1, "aid": att2}, "an attachment under the wrong application"},
		{l, "/api/jobs/{id}", map[string]string{"id": f.job}, "another user's job"},
		{l, "/api/staff/{id}", map[string]string{"id": f.userID(t, "leader")}, "the leader's own account as a commissioner"},
		{l, "/api/staff/{id}", map[string]string{"id": f.userID(t, "rencai1")}, "a talent's account as a commissioner"},
		{l, "/api/backups/{name}", map[string]string{"name": "..%2Fhuicai.db"}, "a path out of the backups folder"},
		{l, "/api/backups/{name}", map[string]string{"name": "..%2Fkeys%2Fdata.key"}, "a path out of the backups folder"},
	}
}

// state is the database and every file the app or the desktop dialogs
// could write, to prove that a refused call changed nothing.
func (f *idorFixture) state(t *testing.T) string {
	out := testdb.Snapshot(t, f.a.db)
	for _, dir := range []string{f.a.dataDir, filepath.Dir(f.scanPath)} {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), "huicai.db") && d.Name() != "huicai.log" {
				info, _ := d.Info()
				out += fmt.Sprintf("%s %d\n", p, info.Size())
			}
			return nil
		})
	}
	return out
}

// fill puts ids into a route's path; it fails when one is not given.
func fill(pattern string, ids map[string]string) (string, bool) {
	_, path, _ := strings.Cut(pattern, " ")
	ok := true
	path = placeholder.ReplaceAllStringFunc(path, func(m string) string {
		v, found := ids[strings.Trim(m, "{}")]
		ok = ok && found
		return v
	})
	return path, ok
}

// try calls rt as role's attacker with ids and reports whether the call was
// refused with 403 or 404 and changed nothing.
func (f *idorFixture) try(t *testing.T, rt route, role account.Role, ids map[string]string, what string) bool {
	t.Helper()
	path, _ := fill(rt.pattern, ids)
	method, sample, body := f.sample(rt.pattern)
	if _, query, ok := strings.Cut(sample, "?"); ok {
		path += "?" + query
	}
	before := f.state(t)
	r := call(t, f.h, method, path, f.attackers[role], body)
	refused := r.Status == 403 || r.Status == 404
	if !refused {
		t.Errorf("%s %s as %s (%s): %d %s, want 403 or 404", method, path, role, what, r.Status, r.Raw)
	}
	if f.state(t) != before {
		t.Errorf("%s %s as %s (%s): refused call changed data or files", method, path, role, what)
		refused = false
	}
	return refused
}

// tries are the attempts on rt as role: an object that does not exist, and
// every attack of role on a route like rt, counted in used.
func tries(rt route, role account.Role, attacks []idorAttack, used []int) []idorAttack {
	_, path, _ := strings.Cut(rt.pattern, " ")
	out := []idorAttack{{role, path, idorMissing, "an object that does not exist"}}
	for i, at := range attacks {
		if _, ok := fill(rt.pattern, at.ids); at.role == role && ok && strings.HasPrefix(path, at.prefix) {
			out = append(out, at)
			used[i]++
		}
	}
	return out
}

// TestNoInsecureDirectObjectReferences tries every route with an object in
// its path, as every role allowed to call it, on objects that do not exist
// and on objects of someone else: each is refused and changes nothing.
func TestNoInsecureDirectObjectReferences(t *testing.T) {
	f := newIDORFixture(t)
	attacks := f.attacks(t)
	used := make([]int, len(attacks))
	var attempts, allowed, routes int
	for _, rt := range f.a.routes() {
		if !placeholder.MatchString(rt.pattern) {
			continue
		}
		routes++
		for _, role := range rt.roles {
			for _, at := range tries(rt, role, attacks, used) {
				attempts++
				if !f.try(t, rt, role, at.ids, at.what) {
					allowed++
				}
			}
		}
	}
	foreign := 0
	for i, n := range used {
		if foreign += n; n == 0 {
			t.Errorf("attack %q as %s on %s matched no route", attacks[i].what, attacks[i].role, attacks[i].prefix)
		}
	}
	testkit.RecordSecurity(t, "idor", map[string]any{"routes": routes, "attempts": attempts,
		"foreign_objects": foreign, "missing_objects": attempts - foreign, "allowed": allowed})
}
