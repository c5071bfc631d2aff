package app

import (
	"context"
	"encoding/json"
	"fmt"
	"huicai/internal/testkit"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/card"
	"huicai/internal/clock/clocktest"
	"huicai/internal/testdb"
)

// roleFixture is a unit with one of everything the routes act on.
type roleFixture struct {
	a                *App
	h                http.Handler
	app              int64 // t1's card application
	scanPath         string
	attachment       int64
	tokens           map[account.Role]string
	c1, c2, c3       account.User // c1 signs in; c2 is acted on; c3 is pending
	t1, t2           int64        // t1 is bound to c1 and signs in; t2 is unbound
	spareDepartment  int64
	talentProfileRaw string
}

func newRoleFixture(t *testing.T) *roleFixture {
	a := newTestApp(t)
	f := &roleFixture{a: a, tokens: map[account.Role]string{}}
	f.h, f.scanPath = withFakeDesktop(t, a.API())
	leader := testdb.Leader(t, a.db)
	dept := testdb.Department(t, a.db, "数学学院")
	f.spareDepartment = testdb.Department(t, a.db, "待撤销学院")
	f.c1 = testdb.Commissioner(t, a.db, leader, "zhuanyuan1", 1, dept, true)
	f.c2 = testdb.Commissioner(t, a.db, leader, "zhuanyuan2", 2, dept, true)
	f.c3 = testdb.Commissioner(t, a.db, leader, "zhuanyuan3", 3, dept, false)
	f.t1 = testdb.Talent(t, a.db, "rencai1", 1, dept).ID
	f.t2 = testdb.Talent(t, a.db, "rencai2", 2, dept).ID
	testdb.Bind(t, a.db, leader, f.c1, f.t1)
	application, err := card.Current(context.Background(), a.db, f.t1)
	if err != nil {
		t.Fatal(err)
	}
	f.app = application.ID
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
	if _, err := card.RecordExisting(context.Background(), a.db, leader, card.ExistingCard{TalentID: f.t1, CardNo: "鲁惠才2024000001", IssuedOn: clocktest.OnDay(-1, "06-15")}, ""); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"id_scan", "title_proof", "other"} {
		r := call(t, f.h, "POST", fmt.Sprintf("/api/applications/%d/attachments/choose", f.app), f.tokens[account.RoleCommissioner], `{"kind":"`+kind+`"}`)
		id, _ := r.Body["id"].(float64)
		if r.Status != 200 || id == 0 {
			t.Fatalf("attach %s: %s", kind, r.Raw)
		}
		f.attachment = int64(id)
	}
	return f
}

// fakeDesktop stands in for the window's native dialogs: it always picks
// the same scanned PDF.
type fakeDesktop struct{ path string }

func (d fakeDesktop) ChooseFile(string, fileFilter) (string, error) { return d.path, nil }
func (d fakeDesktop) ChooseFolder(string) (string, error)           { return filepath.Dir(d.path), nil }
func (d fakeDesktop) SaveFile(_, name string, _ fileFilter) (string, error) {
	return filepath.Join(filepath.Dir(d.path), name), nil
}
func (d fakeDesktop) OpenWithSystem(string) error { return nil }

func withFakeDesktop(t *testing.T, h http.Handler) (http.Handler, string) {
	path := filepath.Join(t.TempDir(), "扫描件.pdf")
	os.WriteFile(path, []byte("%PDF-1.4\n%%EOF\n"), 0o600)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(withNativeFiles(r.Context(), fakeDesktop{path})))
	}), path
}

func (f *roleFixture) version() int {
	a, _ := card.ByID(context.Background(), f.a.db, f.app)
	return a.Version
}

// talentEdit is t1's profile as saved from a form loaded just now.
func (f *roleFixture) talentEdit() string {
	var version int
	f.a.db.QueryRow(`SELECT version FROM talents WHERE user_id = ?`, f.t1).Scan(&version)
	return strings.TrimSuffix(f.talentProfileRaw, "}") + fmt.Sprintf(`,"version":%d}`, version)
}

// sample returns a path and a body with which the route succeeds for a role
// allowed to call it.
func (f *roleFixture) sample(pattern string) (method, path, body string) {
	method, path, _ = strings.Cut(pattern, " ")
	if strings.Contains(pattern, "/api/applications/{id}") {
		path = strings.Replace(strings.Replace(path, "{id}", fmt.Sprint(f.app), 1), "{aid}", fmt.Sprint(f.attachment), 1)
	}
	if strings.Contains(pattern, "/api/changes/{id}") {
		var change int64
		f.a.db.QueryRow(`SELECT COALESCE(MAX(id), 0) FROM change_requests`).Scan(&change)
		path = strings.Replace(path, "{id}", fmt.Sprint(change), 1)
	}
	if pattern == "POST /api/applications/{id}/attachments" {
		path += "?kind=other"
	}
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
		"POST /api/talents/import/{id}/commit":            `{"mode":"valid"}`,
		"POST /api/talents/{id}/account":                  `{"username":"kaitong"}`,
		"POST /api/card-holders/import/{id}/commit":       `{"mode":"valid"}`,
		"POST /api/password":                              `{"old_password":"Leader@2026","new_password":"Changed@2027","password_confirm":"Changed@2027"}`,
		"POST /api/staff/{id}/reveal":                     `{"field":"id_number"}`,
		"POST /api/staff/{id}/decision":                   `{"action":"approve"}`,
		"POST /api/staff/{id}/talents":                    fmt.Sprintf(`{"talent_ids":[%d]}`, f.t2),
		"POST /api/talents/{id}/reveal":                   `{"field":"mobile"}`,
		"PUT /api/my/talent":                              f.talentEdit(),
		"POST /api/departments":                           `{"name":"新设学院"}`,
		"PUT /api/departments/{id}":                       `{"name":"改名学院"}`,
		"POST /api/departments/{id}/active":               `{"active":false}`,
		"POST /api/talent-options":                        `{"kind":"title","name":"新增称号"}`,
		"PUT /api/talent-options/{id}":                    `{"name":"两院院士（含外籍）"}`,
		"POST /api/talent-options/{id}/active":            `{"active":false}`,
		"PUT /api/applications/{id}":                      fmt.Sprintf(`{"version":%d,"highest_education":"博士研究生"}`, f.version()),
		"POST /api/applications/{id}/submit":              fmt.Sprintf(`{"version":%d,%s}`, f.version(), completeMaterials),
		"POST /api/applications/{id}/review":              fmt.Sprintf(`{"version":%d,"result":"reject","opinion":"请补充称号证明"}`, f.version()),
		"POST /api/applications/{id}/attachments/choose":  `{"kind":"other"}`,
		"POST /api/applications/{id}/attachments/dropped": `{"kind":"other","path":"` + f.scanPath + `"}`,
		"POST /api/applications/{id}/attachments":         "%PDF-1.4\n%%EOF\n",
		"POST /api/keys/recovery":                         `{"passphrase":"恢复口令一二三四五六七八","passphrase_confirm":"恢复口令一二三四五六七八"}`,
		"POST /api/keys/recovery/save":                    `{"passphrase":"恢复口令一二三四五六七八","passphrase_confirm":"恢复口令一二三四五六七八"}`,
		"POST /api/cards":                                 fmt.Sprintf(`{"talent_id":%d,"card_no":"鲁惠才2024000002","issued_on":%q}`, f.t2, clocktest.OnDay(-1, "06-15")),
		"POST /api/changes":                               fmt.Sprintf(`{"talent_id":%d,"change_type_id":4,"change_date":%q,"description":"到龄退休"}`, f.t1, clocktest.Date(0, 0, -7)),
		"POST /api/changes/{id}/decision":                 `{"version":1,"action":"reject","reason":"请补充退休批文"}`,
		"PUT /api/changes/{id}":                           fmt.Sprintf(`{"change_type_id":4,"change_date":%q,"description":"到龄退休，附批文","version":2}`, clocktest.Date(0, 0, -7)),
	}[pattern]
	return method, path, body
}

// sequenced routes only succeed at their step of a batch's life; the matrix
// proves their roles, and TestCardBatchOverTheAPI walks them to success.
var sequenced = map[string]bool{}

func init() {
	for _, p := range []string{"POST /api/batches", "GET /api/batches/{id}", "PUT /api/batches/{id}/contact",
		"POST /api/batches/{id}/cancel", "GET /api/batches/{id}/exports/download", "POST /api/batches/{id}/exports/save",
		"POST /api/batches/{id}/scan", "POST /api/batches/{id}/scan/choose", "GET /api/batches/{id}/scan/content",
		"GET /api/batches/{id}/package/download", "POST /api/batches/{id}/package/save", "GET /api/jobs/{id}",
		"POST /api/jobs/{id}/cancel", "PUT /api/keys/province", "POST /api/keys/province/choose", "POST /api/receipts",
		"POST /api/receipts/choose", "POST /api/applications/{id}/renew", "POST /api/batches/{id}/export", "POST /api/batches/{id}/submit",
		"POST /api/changes/{id}/decision", "GET /api/backups/{name}/download", "POST /api/backups/{name}/save", "POST /api/batches/{id}/scan/open", "GET /api/batches/{id}/exports/{file}/content",
		"POST /api/talents/{id}/renew-card", "POST /api/talents/{id}/account", "POST /api/talents/import", "POST /api/talents/import/choose", "POST /api/talents/import/{id}/commit",
		"GET /api/talents/import/{id}/report/download", "POST /api/talents/import/{id}/report/save",
		"POST /api/card-holders/import", "POST /api/card-holders/import/choose", "POST /api/card-holders/import/{id}/commit",
		"GET /api/card-holders/import/{id}/report/download", "POST /api/card-holders/import/{id}/report/save",
		"POST /api/batches/{id}/exports/{file}/open", "GET /api/batches/{id}/exports/{file}/download", "POST /api/batches/{id}/exports/{file}/save", "POST /api/backups/{name}/restore", "POST /api/restore/choose"} {
		sequenced[p] = true
	}
}

// matrixFigures counts the calls TestRoleMatrix makes, and those that got
// through where they should not have, for the security summary.
type matrixFigures struct {
	forbidden, forbiddenAllowed, anonymous, anonymousAllowed, permitted int
}

func (m matrixFigures) record(t *testing.T) {
	testkit.RecordSecurity(t, "role_matrix", map[string]any{"forbidden_calls": m.forbidden, "forbidden_allowed": m.forbiddenAllowed,
		"anonymous_calls": m.anonymous, "anonymous_allowed": m.anonymousAllowed, "permitted_calls": m.permitted})
}

// TestRoleMatrix calls every signed-in route as every role: each forbidden
// call gets 403 and changes nothing, each allowed call succeeds.
func TestRoleMatrix(t *testing.T) {
	f := newRoleFixture(t)
	var n matrixFigures
	roles := []account.Role{account.RoleLeader, account.RoleCommissioner, account.RoleTalent}
	for _, rt := range f.a.routes() {
		if rt.roles == nil || rt.pattern == "DELETE /api/session" {
			continue // public routes, and logout (which ends the session the matrix uses; see TestSessionLifecycle)
		}
		method, path, body := f.sample(rt.pattern)
		if rt.pattern == "DELETE /api/applications/{id}/attachments/{aid}" {
			continue // tested below, as it removes the attachment the content routes use
		}
		before := testdb.Snapshot(t, f.a.db)
		n.anonymous++
		if r := call(t, f.h, method, path, "", body); r.Status != 401 || testdb.Snapshot(t, f.a.db) != before {
			n.anonymousAllowed++
			t.Errorf("%s without a session: %d, want 401 and no change", rt.pattern, r.Status)
		}
		for _, role := range roles {
			before := testdb.Snapshot(t, f.a.db)
			method, path, body := f.sample(rt.pattern)
			r := call(t, f.h, method, path, f.tokens[role], body)
			if slices.Contains(rt.roles, role) {
				n.permitted++
				if sequenced[rt.pattern] && r.Status != 401 && r.Status != 403 && r.Status < 500 {
					continue
				}
				if r.Status != 200 {
					t.Errorf("%s as %s: %d %s, want 200", rt.pattern, role, r.Status, r.Raw)
				}
				continue
			}
			n.forbidden++
			changed := testdb.Snapshot(t, f.a.db) != before
			if r.Status != 403 || changed {
				n.forbiddenAllowed++
			}
			if r.Status != 403 {
				t.Errorf("%s as %s: %d, want 403", rt.pattern, role, r.Status)
			}
			if changed {
				t.Errorf("%s as %s: refused call changed data", rt.pattern, role)
			}
		}
	}
	n.record(t)
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

const completeMaterials = `"highest_education":"博士研究生","highest_degree":"博士","school_major":"山东大学 数学",
	"professional_title":"教授","current_position":"院长","field":"数学","title_document":"鲁政字〔2018〕1号",
	"achievements":"业绩","postal_address":"济南市","postal_code":"250100"`
