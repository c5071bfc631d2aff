package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"huicai/internal/account"
	"huicai/internal/audit"
	"huicai/internal/card"
	"huicai/internal/setup"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/unit"
	"huicai/internal/validate"
)

var ctx = context.Background()

// Password is every fixture account's password.
const Password = "Leader@2026"

// SetupInput is a valid first-run setup for 山东大学.
func SetupInput() setup.Input {
	return setup.Input{
		Unit: unit.Unit{Name: "山东大学", USCC: "12370000495570512F", Address: "济南市历城区山大南路27号",
			ContactPerson: "张三", ContactPhone: "0531-88364000"},
		NewLeader: account.NewLeader{Name: "李四", Mobile: "13800138000", Username: "leader",
			Password: Password, PasswordConfirm: Password},
	}
}

// Leader runs first-run setup and returns the leader's account.
func Leader(t testing.TB, db *store.DB) account.User {
	t.Helper()
	if _, err := setup.Run(ctx, db, SetupInput(), FastHash, "test"); err != nil {
		t.Fatal(err)
	}
	u, err := account.UserByID(ctx, db, 1)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Department adds a department and returns its id.
func Department(t testing.TB, db *store.DB, name string) int64 {
	t.Helper()
	var d unit.Department
	err := db.Tx(ctx, func(tx *sql.Tx) (err error) {
		d, err = unit.CreateDepartment(ctx, tx, name)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// ResidentID makes a valid 居民身份证 number for birth (YYYYMMDD).
func ResidentID(birth string, seq int, male bool) string {
	seq *= 2 // the last of the three sequence digits is odd for men
	if male {
		seq++
	}
	base := fmt.Sprintf("370102%s%03d", birth, seq%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(base[i]-'0') * w
	}
	return base + string("10X98765432"[sum%11])
}

// NewStaff is a valid commissioner registration in department dept.
func NewStaff(username string, seq int, dept int64) account.NewStaff {
	return account.NewStaff{RegistrationType: account.RegistrationType, Name: "专员" + username, IDType: validate.IDResident,
		IDNumber: ResidentID("19850315", seq, true), Mobile: fmt.Sprintf("139%08d", seq), DepartmentID: dept,
		Position: "科员", OfficePhone: "0531-88364001", Username: username, Password: Password, PasswordConfirm: Password}
}

// Commissioner registers a commissioner and, with approve, has the leader approve them.
func Commissioner(t testing.TB, db *store.DB, leader account.User, username string, seq int, dept int64, approve bool) account.User {
	t.Helper()
	u, err := account.RegisterStaff(ctx, db, NewStaff(username, seq, dept), FastHash, "test")
	if err != nil {
		t.Fatal(err)
	}
	if approve {
		err = db.Tx(ctx, func(tx *sql.Tx) error {
			_, err := account.DecideStaff(ctx, tx, leader.Actor("test"), u.ID, account.ActionApprove, "")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		u.Status = account.StatusActive
	}
	return u
}

// Registration is a valid talent registration in department dept.
func Registration(username string, seq int, dept int64) talent.Registration {
	return talent.Registration{
		Profile: talent.Profile{Name: "人才" + username, Gender: "男", BirthDate: "1975-06-01", Nationality: "中国",
			IDType: validate.IDResident, IDNumber: ResidentID("19750601", seq, true), Mobile: fmt.Sprintf("137%08d", seq),
			Email: username + "@sdu.edu.cn", DepartmentID: dept, Category: "泰山学者", Title: "泰山学者特聘专家", TitleDate: "2018-09-01"},
		Username: username, Password: Password, PasswordConfirm: Password,
	}
}

// Talent registers a talent.
func Talent(t testing.TB, db *store.DB, username string, seq int, dept int64) talent.Talent {
	t.Helper()
	tal, err := talent.Register(ctx, db, Registration(username, seq, dept), FastHash, "test", card.Open)
	if err != nil {
		t.Fatal(err)
	}
	return tal
}

// Bind binds talents to a commissioner as the leader.
func Bind(t testing.TB, db *store.DB, leader, commissioner account.User, talentIDs ...int64) {
	t.Helper()
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := talent.Bind(ctx, tx, leader.Actor("test"), commissioner, talentIDs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Snapshot returns every row of every table but sessions (whose last-seen
// times move with each request), to prove that a refused call changed nothing.
func Snapshot(t testing.TB, db *store.DB) string {
	t.Helper()
	out := ""
	for _, table := range column(t, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('sessions') ORDER BY name`) {
		out += tableRows(t, db, table)
	}
	return out
}

// column returns the first column of every row query returns.
func column(t testing.TB, db *store.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// tableRows writes every row of table, one line each.
func tableRows(t testing.TB, db *store.DB, table string) string {
	t.Helper()
	r, err := db.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cols, _ := r.Columns()
	out := ""
	for r.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out += fmt.Sprintf("%s %v\n", table, vals)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// AuditActions lists the audit log's actions in order.
func AuditActions(t testing.TB, db *store.DB) []string {
	t.Helper()
	p, err := audit.List(ctx, db, audit.Filter{PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(p.Items))
	for i, r := range p.Items {
		out[len(out)-1-i] = r.Action
	}
	return out
}
