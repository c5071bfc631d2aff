// Package talent owns the high-level talents (高层次人才): their registration
// and profile, the category and title lists, and their binding to a
// commissioner.
package talent

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/store"
	"huicai/internal/validate"
	"huicai/internal/vault"
)

// Migrations creates the talent tables and seeds the option lists.
func Migrations() []store.Migration {
	return []store.Migration{
		{Version: 6, Name: "talent: options", Up: optionMigration},
		{Version: 7, Name: "talent: talents", Up: store.Exec(
			`CREATE TABLE talents (
				user_id INTEGER PRIMARY KEY REFERENCES users(id),
				name TEXT NOT NULL,
				gender TEXT NOT NULL CHECK (gender IN ('男', '女')),
				birth_date TEXT NOT NULL,
				nationality TEXT NOT NULL,
				id_type TEXT NOT NULL,
				id_number TEXT NOT NULL,
				mobile TEXT NOT NULL,
				email TEXT NOT NULL,
				department_id INTEGER NOT NULL REFERENCES departments(id),
				category TEXT NOT NULL,
				title TEXT NOT NULL,
				title_date TEXT NOT NULL,
				commissioner_id INTEGER REFERENCES users(id),
				created_at TEXT NOT NULL,
				updated_at TEXT NOT NULL,
				UNIQUE (id_type, id_number)
			)`,
			`CREATE INDEX talents_commissioner ON talents(commissioner_id)`,
			`CREATE INDEX talents_department ON talents(department_id)`,
		)},
		{Version: 17, Name: "talent: seal personal data", Up: sealMigration},
		{Version: 22, Name: "talent: versions for edits", Up: store.Exec(
			`ALTER TABLE talents ADD COLUMN version INTEGER NOT NULL DEFAULT 1`)},
		{Version: 28, Name: "talent: fixed-width times", Up: store.FixTimesStep(map[string][]string{
			"talents": {"created_at", "updated_at"}})},
		nameGrams,
		orderedGrams,
		listMigration,
		departmentOrderMigration,
		commissionerOrderMigration,
		categoryMigration,
		listNamesMigration,
		dropNameGrams,
		store.KeepTotal(63, "talents"),
		listNames.Moves(68, "commissioner_id"),
	}
}

// idIndex is the blind index that keeps ID numbers unique without storing
// them in the clear.
func idIndex(idType, number string) string { return vault.Index("id:"+idType, number) }

// sealMigration encrypts ID numbers, mobiles and e-mails stored before
// encryption and indexes ID numbers blindly.
func sealMigration(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `ALTER TABLE talents ADD COLUMN id_index TEXT NOT NULL DEFAULT ''`); err != nil {
		return err
	}
	err := vault.SealColumns(ctx, tx, "talents", "user_id", []string{"id_number", "mobile", "email"}, func(id int64, clear []string) error {
		var idType string
		if err := tx.QueryRowContext(ctx, `SELECT id_type FROM talents WHERE user_id = ?`, id).Scan(&idType); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE talents SET id_index = ? WHERE user_id = ?`, idIndex(idType, clear[0]), id)
		return err
	})
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `CREATE UNIQUE INDEX talents_id_index ON talents(id_index)`)
	return err
}

// Profile is what a talent tells about themself at registration and may
// later edit.
type Profile struct {
	Name         string `json:"name"`
	Gender       string `json:"gender"`
	BirthDate    string `json:"birth_date"`
	Nationality  string `json:"nationality"`
	IDType       string `json:"id_type"`
	IDNumber     string `json:"id_number"`
	Mobile       string `json:"mobile"`
	Email        string `json:"email"`
	DepartmentID int64  `json:"department_id"`
	Category     string `json:"category"`
	Title        string `json:"title"`
	TitleDate    string `json:"title_date"`
}

// Talent is a registered talent.
type Talent struct {
	ID int64 `json:"id"`
	Profile
	Username       string `json:"username"`
	CommissionerID int64  `json:"commissioner_id"`
	CreatedAt      string `json:"created_at"`
	// Version counts the talent's edits; a save names the version it edited.
	Version int `json:"version"`
	// HasAccount is false for a record the unit imported that no one can
	// sign in to yet (see claim and account.OpenImported).
	HasAccount bool `json:"has_account"`
}

// ProfileEdit is a profile as saved from a form, with the version it was
// loaded at.
type ProfileEdit struct {
	Profile
	Version int `json:"version"`
}

// Masked returns t with ID number and mobile masked for lists.
func (t Talent) Masked() Talent {
	t.IDNumber = validate.MaskID(t.IDNumber)
	t.Mobile = validate.MaskMobile(t.Mobile)
	return t
}

// Normalize trims what users type around the values.
func (p *Profile) Normalize() {
	for _, s := range []*string{&p.Name, &p.Gender, &p.BirthDate, &p.Nationality, &p.IDType, &p.Mobile,
		&p.Email, &p.Category, &p.Title, &p.TitleDate} {
		*s = strings.TrimSpace(*s)
	}
	p.IDNumber = validate.NormalizeID(p.IDNumber)
}

const dateLayout = "2006-01-02"

// Check adds the profile's field errors to c; today bounds the dates.
func (p *Profile) Check(c *validate.Checker, today time.Time) {
	c.Text("name", p.Name, "姓名", 50)
	c.Check("gender", p.Gender == "男" || p.Gender == "女", "请选择性别")
	birth, err := time.Parse(dateLayout, p.BirthDate)
	switch {
	case p.BirthDate == "":
		c.Add("birth_date", "请选择出生日期")
	case err != nil || birth.Year() < 1900 || birth.After(today):
		c.Add("birth_date", "出生日期不正确")
	}
	c.Text("nationality", p.Nationality, "国籍（地区）", 50)
	c.ID("id_type", "id_number", p.IDType, p.IDNumber, today)
	if p.IDType == validate.IDResident && !c.Has("id_number") && !c.Has("birth_date") {
		id, _ := validate.ParseResidentID(p.IDNumber, today)
		c.Check("id_number", id.Birth.Equal(birth), "身份证号码中的出生日期与填写的出生日期不一致")
		if gender := map[bool]string{true: "男", false: "女"}[id.Male]; p.Gender != "" && !c.Has("gender") {
			c.Check("id_number", gender == p.Gender, "身份证号码显示的性别与填写的性别不一致")
		}
	}
	c.Mobile("mobile", p.Mobile)
	switch {
	case p.Email == "":
		c.Add("email", "请填写电子邮箱")
	case !validate.IsEmail(p.Email):
		c.Add("email", "电子邮箱格式不正确")
	}
	c.Check("department_id", p.DepartmentID != 0, "请选择所在二级单位")
	c.Check("category", p.Category != "", "请选择人才类别")
	c.Check("title", p.Title != "", "请选择人才称号")
	titleDate, err := time.Parse(dateLayout, p.TitleDate)
	switch {
	case p.TitleDate == "":
		c.Add("title_date", "请选择称号获得时间")
	case err != nil || titleDate.After(today) || (!c.Has("birth_date") && titleDate.Before(birth)):
		c.Add("title_date", "称号获得时间不正确")
	}
}

// checkLists refuses a category or title the leader has not offered; an
// edit passes the old profile so that unchanged values stay acceptable even
// if the leader has since disabled them.
func (p *Profile) checkLists(ctx context.Context, q store.Querier, old *Profile) error {
	var c validate.Checker
	for _, f := range []struct{ field, kind, value string }{{"category", KindCategory, p.Category}, {"title", KindTitle, p.Title}} {
		if old != nil && f.value == map[string]string{KindCategory: old.Category, KindTitle: old.Title}[f.kind] {
			continue
		}
		ok, err := activeOption(ctx, q, f.kind, f.value)
		if err != nil {
			return fmt.Errorf("talent: check options: %w", err)
		}
		c.Check(f.field, ok, kindLabel(f.kind)+"不在可选范围内")
	}
	return c.Err()
}

// ErrNotFound is returned for an unknown talent.
var ErrNotFound = apperr.NotFound("该高层次人才不存在")

// ErrDuplicateID refuses a second talent with the same ID.
var ErrDuplicateID = apperr.InvalidField("id_number", "该证件号码已注册，请勿重复注册；如忘记用户名，请联系单位服务专员")

const talentColumns = `t.user_id, t.name, t.gender, t.birth_date, t.nationality, t.id_type, t.id_number, t.mobile,
	t.email, t.department_id, t.category, t.title, t.title_date, u.username, COALESCE(t.commissioner_id, 0), t.created_at,
	t.version, u.password_hash != ''`

func scanTalent(row interface{ Scan(...any) error }) (Talent, error) {
	var t Talent
	err := row.Scan(&t.ID, &t.Name, &t.Gender, &t.BirthDate, &t.Nationality, &t.IDType, &t.IDNumber, &t.Mobile,
		&t.Email, &t.DepartmentID, &t.Category, &t.Title, &t.TitleDate, &t.Username, &t.CommissionerID, &t.CreatedAt,
		&t.Version, &t.HasAccount)
	if errors.Is(err, sql.ErrNoRows) {
		return Talent{}, ErrNotFound
	}
	if err != nil {
		return Talent{}, fmt.Errorf("talent: scan: %w", err)
	}
	t.IDNumber = vault.MustOpen(t.IDNumber, &err)
	t.Mobile = vault.MustOpen(t.Mobile, &err)
	t.Email = vault.MustOpen(t.Email, &err)
	return t, err
}

// ByID returns one talent, unmasked.
func ByID(ctx context.Context, q store.Querier, id int64) (Talent, error) {
	return scanTalent(q.QueryRowContext(ctx, `SELECT `+talentColumns+` FROM talents t JOIN users u ON u.id = t.user_id
		WHERE t.user_id = ?`, id))
}

// CanView reports whether u may see t's details: the leader, the bound
// commissioner, and the talent themself.
func CanView(u account.User, t Talent) bool {
	switch u.Role {
	case account.RoleLeader:
		return true
	case account.RoleCommissioner:
		return t.CommissionerID == u.ID
	case account.RoleTalent:
		return t.ID == u.ID
	}
	return false
}

// Visible returns talent id if u may see it, and refuses otherwise.
func Visible(ctx context.Context, q store.Querier, u account.User, id int64) (Talent, error) {
	t, err := ByID(ctx, q, id)
	if err != nil {
		return Talent{}, err
	}
	if !CanView(u, t) {
		return Talent{}, apperr.Forbidden()
	}
	return t, nil
}

// Filter selects talents for a list.
type Filter struct {
	// Name is part of a name; IDNumber a whole ID number.
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	// Sort is a key of the list's order ("name", "-created" …), "" for
	// the newest first.
	Sort         string `json:"sort"`
	DepartmentID int64  `json:"department_id"`
	// Bound is "bound", "unbound" or "" for all.
	Bound string `json:"bound"`
	// CommissionerID restricts the list to one commissioner's talents.
	CommissionerID int64 `json:"commissioner_id"`
	// From and To bound the day of registration (YYYY-MM-DD).
	From string `json:"from"`
	To   string `json:"to"`
	// Also is a further condition on the talent (t.user_id) that another
	// area words, such as "holds no valid card", with its arguments.
	Also     string `json:"-"`
	AlsoArgs []any  `json:"-"`
	Page     int    `json:"page"`
	PageSize int    `json:"page_size"`
}

// listOrder is how the talents list sorts: newest first unless asked.
var listOrder = store.Order{Default: "t.created_at DESC, t.user_id DESC", Tie: "t.user_id",
	Keys: map[string]string{"name": "t.name", "department": "t.department_id, t.created_at", "created": "t.created_at"}}

// listMigration indexes talents for the list's sort keys (the department
// index, from the first migration, already orders by department).
var listMigration = store.Migration{Version: 36, Name: "talent: list indexes", Up: store.Exec(
	`CREATE INDEX talents_name ON talents(name)`,
	`CREATE INDEX talents_created ON talents(created_at)`,
)}

// departmentOrderMigration orders a 二级单位's talents newest first from
// its index, without sorting them.
var departmentOrderMigration = store.Migration{Version: 40, Name: "talent: a department's talents in order", Up: store.Exec(
	`DROP INDEX talents_department`,
	`CREATE INDEX talents_department ON talents(department_id, created_at)`,
)}

// commissionerOrderMigration orders a commissioner's talents (and the
// unbound ones) newest first from their index, without sorting them: a
// commissioner's first page reads ten talents however many they serve.
var commissionerOrderMigration = store.Migration{Version: 41, Name: "talent: a commissioner's talents in order", Up: store.Exec(
	`DROP INDEX talents_commissioner`,
	`CREATE INDEX talents_commissioner ON talents(commissioner_id, created_at)`,
)}

// categoryMigration indexes talents by 人才类别, for the card holders of one
// category (the home page's chart links there).
var categoryMigration = store.Migration{Version: 45, Name: "talent: by category", Up: store.Exec(
	`CREATE INDEX talents_category ON talents(category)`,
)}

// List returns a page of talents matching f, masked for a list.
func List(ctx context.Context, q store.Querier, f Filter) (store.Page[Talent], error) {
	order, err := listOrder.By(f.Sort)
	if err != nil {
		return store.Page[Talent]{}, err
	}
	view := store.View[Talent]{Key: "t.user_id", Joins: "JOIN users u ON u.id = t.user_id", Columns: talentColumns,
		Scan: func(rows *sql.Rows) (Talent, error) {
			t, err := scanTalent(rows)
			return t.Masked(), err
		}}
	query, order, err := ListSearch(listNames, f.Name, &view, order)
	if err != nil {
		return store.Page[Talent]{}, err
	}
	query.Days("from", "t.created_at", f.From, f.To).Match(f.Also, f.AlsoArgs).Match(IDMatch("t.user_id", f.IDNumber))
	switch f.Bound {
	case "bound":
		query.Where("t.commissioner_id IS NOT NULL")
	case "unbound":
		query.Where("t.commissioner_id IS NULL")
	}
	page, err := store.List(ctx, q, query.WhereID("t.department_id", f.DepartmentID).WhereID("t.commissioner_id", f.CommissionerID),
		view, order, f.Page, f.PageSize)
	if err != nil {
		return page, fmt.Errorf("talent: list: %w", err)
	}
	return page, nil
}
