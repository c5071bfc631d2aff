package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/testdb"
)

// roleFixture is a unit with one of everything the routes act on.
type roleFixture struct {
	a                *App
	h                http.Handler
	tokens           map[account.Role]string
	c1, c2, c3       account.User // c1 signs in; c2 is acted on; c3 is pending
	t1, t2           int64        // t1 is bound to c1 and signs in; t2 is unbound
	spareDepartment  int64
	talentProfileRaw string
}

func newRoleFixture(t *testing.T) *roleFixture {
	a := newTestApp(t)
	f := &roleFixture{a: a, h: a.API(), tokens: map[account.Role]string{}}
	leader := testdb.Leader(t, a.db)
	dept := testdb.Department(t, a.db, "数学学院")
	f.spareDepartment = testdb.Department(t, a.db, "待撤销学院")
	f.c1 = testdb.Commissioner(t, a.db, leader, "zhuanyuan1", 1, dept, true)
	f.c2 = testdb.Commissioner(t, a.db, leader, "zhuanyuan2", 2, dept, true)
	f.c3 = testdb.Commissioner(t, a.db, leader, "zhuanyuan3", 3, dept, false)
	f.t1 = testdb.Talent(t, a.db, "rencai1", 1, dept).ID
	f.t2 = testdb.Talent(t, a.db, "rencai2", 2, dept).ID
	testdb.Bind(t, a.db, leader, f.c1, f.t1)
	profile, _ := json.Marshal(testdb.Registration("rencai1", 1, dept).Profile)
	f.talentProfileRaw = string(profile)
	for role, username := range map[account.Role]string{account.RoleLeader: "leader", account.RoleCommissioner: "zhuanyuan1", account.RoleTalent: "rencai1"} {
		r := call(t, f.h, "POST", "/api/session", "", fmt.Sprintf(`{"username":%q,"password":%q}`, username, testdb.Password))
		token, _ := r.Body["token"].(string)
		if token == "" {
			t.Fatalf("login %s: %s", username, r.Raw)
		}
		f.tokens[role] = token
	}
	return f
}

// sample returns a path and a body with which the route succeeds for a role
// allowed to call it.
func (f *roleFixture) sample(pattern string) (method, path, body string) {
	method, path, _ = strings.Cut(pattern, " ")
	id := map[string]int64{
		"POST /api/staff/{id}/decision":        f.c3.ID,
		"POST /api/talents/{id}/reveal":        f.t1,
		"GET /api/talents/{id}":                f.t1,
		"DELETE /api/talents/{id}/binding":     f.t2,
		"PUT /api/departments/{id}":            f.spareDepartment,
		"POST /api/departments/{id}/active":    f.spareDepartment,
		"DELETE /api/departments/{id}":         f.spareDepartment,
		"PUT /api/talent-options/{id}":         1,
		"POST /api/talent-options/{id}/active": 1,
	}[pattern]
	if id == 0 {
		id = f.c2.ID
	}
	path = strings.Replace(path, "{id}", fmt.Sprint(id), 1)
	body = map[string]string{
		"POST /api/password":                   `{"old_password":"Leader@2026","new_password":"Changed@2027","password_confirm":"Changed@2027"}`,
		"POST /api/staff/{id}/reveal":          `{"field":"id_number"}`,
		"POST /api/staff/{id}/decision":        `{"action":"approve"}`,
		"POST /api/staff/{id}/talents":         fmt.Sprintf(`{"talent_ids":[%d]}`, f.t2),
		"POST /api/talents/{id}/reveal":        `{"field":"mobile"}`,
		"PUT /api/my/talent":                   f.talentProfileRaw,
		"POST /api/departments":                `{"name":"新设学院"}`,
		"PUT /api/departments/{id}":            `{"name":"改名学院"}`,
		"POST /api/departments/{id}/active":    `{"active":false}`,
		"POST /api/talent-options":             `{"kind":"title","name":"新增称号"}`,
		"PUT /api/talent-options/{id}":         `{"name":"两院院士（含外籍）"}`,
		"POST /api/talent-options/{id}/active": `{"active":false}`,
	}[pattern]
	return method, path, body
}

// TestRoleMatrix calls every signed-in route as every role: each forbidden
// call gets 403 and changes nothing, each allowed call succeeds.
func TestRoleMatrix(t *testing.T) {
	f := newRoleFixture(t)
	roles := []account.Role{account.RoleLeader, account.RoleCommissioner, account.RoleTalent}
	for _, rt := range f.a.routes() {
		if rt.roles == nil || rt.pattern == "DELETE /api/session" {
			continue // public routes, and logout (which ends the session the matrix uses; see TestSessionLifecycle)
		}
		method, path, body := f.sample(rt.pattern)
		before := testdb.Snapshot(t, f.a.db)
		if r := call(t, f.h, method, path, "", body); r.Status != 401 || testdb.Snapshot(t, f.a.db) != before {
			t.Errorf("%s without a session: %d, want 401 and no change", rt.pattern, r.Status)
		}
		for _, role := range roles {
			before := testdb.Snapshot(t, f.a.db)
			r := call(t, f.h, method, path, f.tokens[role], body)
			if slices.Contains(rt.roles, role) {
				if r.Status != 200 {
					t.Errorf("%s as %s: %d %s, want 200", rt.pattern, role, r.Status, r.Raw)
				}
				continue
			}
			if r.Status != 403 {
				t.Errorf("%s as %s: %d, want 403", rt.pattern, role, r.Status)
			}
			if after := testdb.Snapshot(t, f.a.db); after != before {
				t.Errorf("%s as %s: refused call changed data", rt.pattern, role)
			}
		}
	}
}

// TestOwnDataOnly proves that allowed roles still see only their own talents.
func TestOwnDataOnly(t *testing.T) {
	f := newRoleFixture(t)
	r := call(t, f.h, "GET", "/api/talents", f.tokens[account.RoleCommissioner], "")
	items, _ := r.Body["items"].([]any)
	if r.Status != 200 || len(items) != 1 || items[0].(map[string]any)["username"] != "rencai1" {
		t.Fatalf("commissioner's list: %s", r.Raw)
	}
	if strings.Contains(r.Raw, testdb.ResidentID("19750601", 1, true)) {
		t.Error("list shows a full ID number")
	}
	before := testdb.Snapshot(t, f.a.db)
	for _, path := range []string{fmt.Sprintf("/api/talents/%d", f.t2)} {
		if r := call(t, f.h, "GET", path, f.tokens[account.RoleCommissioner], ""); r.Status != 403 {
			t.Errorf("commissioner GET %s: %d", path, r.Status)
		}
	}
	if r := call(t, f.h, "POST", fmt.Sprintf("/api/talents/%d/reveal", f.t2), f.tokens[account.RoleCommissioner], `{"field":"id_number"}`); r.Status != 403 {
		t.Errorf("commissioner revealed an unbound talent: %d", r.Status)
	}
	if testdb.Snapshot(t, f.a.db) != before {
		t.Error("refused calls changed data")
	}
	r = call(t, f.h, "GET", "/api/my/talent", f.tokens[account.RoleTalent], "")
	if r.Status != 200 || r.Body["username"] != "rencai1" {
		t.Errorf("talent's own data: %s", r.Raw)
	}
}

func TestMustChangePasswordBlocksOtherRoutes(t *testing.T) {
	f := newRoleFixture(t)
	leader := f.tokens[account.RoleLeader]
	r := call(t, f.h, "POST", fmt.Sprintf("/api/staff/%d/password-reset", f.c1.ID), leader, "")
	temp, _ := r.Body["password"].(string)
	if r.Status != 200 || temp == "" {
		t.Fatalf("reset: %s", r.Raw)
	}
	r = call(t, f.h, "POST", "/api/session", "", fmt.Sprintf(`{"username":"zhuanyuan1","password":%q}`, temp))
	token, _ := r.Body["token"].(string)
	if r := call(t, f.h, "GET", "/api/talents", token, ""); r.Status != 403 || !strings.Contains(r.Raw, "请先修改密码") {
		t.Errorf("list before changing the password: %d %s", r.Status, r.Raw)
	}
	body := fmt.Sprintf(`{"old_password":%q,"new_password":"Fresh@2027","password_confirm":"Fresh@2027"}`, temp)
	if r := call(t, f.h, "POST", "/api/password", token, body); r.Status != 200 {
		t.Fatalf("change: %s", r.Raw)
	}
	if r := call(t, f.h, "GET", "/api/talents", token, ""); r.Status != 200 {
		t.Errorf("list after changing the password: %d %s", r.Status, r.Raw)
	}
}
