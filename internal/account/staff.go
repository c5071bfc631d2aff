package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/clock"
	"huicai/internal/flow"
	"huicai/internal/store"
	"huicai/internal/unit"
	"huicai/internal/validate"
	"huicai/internal/vault"
)

// idIndex is the blind index that keeps ID numbers unique without storing
// them in the clear.
func idIndex(idType, number string) string { return vault.Index("id:"+idType, number) }

// sealMigration encrypts the personal data stored before encryption and
// indexes staff ID numbers blindly.
var sealMigration = store.Migration{Version: 16, Name: "account: seal personal data", Up: func(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `ALTER TABLE staff ADD COLUMN id_index TEXT NOT NULL DEFAULT ''`); err != nil {
		return err
	}
	if err := vault.SealColumns(ctx, tx, "users", "id", []string{"mobile"}, nil); err != nil {
		return err
	}
	err := vault.SealColumns(ctx, tx, "staff", "user_id", []string{"id_number", "office_phone"}, func(id int64, clear []string) error {
		_, err := tx.ExecContext(ctx, `UPDATE staff SET id_index = ? WHERE user_id = ?`, idIndex(typeOf(ctx, tx, id), clear[0]), id)
		return err
	})
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `CREATE UNIQUE INDEX staff_id_index ON staff(id_index)`)
	return err
}}

func typeOf(ctx context.Context, tx *sql.Tx, id int64) string {
	var t string
	if err := tx.QueryRowContext(ctx, `SELECT id_type FROM staff WHERE user_id = ?`, id).Scan(&t); err != nil {
		return "" // no profile: the index is built for an unknown type, as before
	}
	return t
}

func staffMigrations() []store.Migration {
	return []store.Migration{sealMigration, {Version: 5, Name: "account: lockout and staff profiles", Up: store.Exec(
		`ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE users ADD COLUMN locked_until TEXT NOT NULL DEFAULT ''`,
		`CREATE TABLE staff (
			user_id INTEGER PRIMARY KEY REFERENCES users(id),
			id_type TEXT NOT NULL,
			id_number TEXT NOT NULL,
			department_id INTEGER NOT NULL REFERENCES departments(id),
			position TEXT NOT NULL,
			office_phone TEXT NOT NULL,
			reject_reason TEXT NOT NULL DEFAULT '',
			reviewed_by INTEGER REFERENCES users(id),
			reviewed_at TEXT NOT NULL DEFAULT '',
			UNIQUE (id_type, id_number)
		)`,
	)}}
}

// RegistrationType is the only 注册类型 审核用户注册 offers.
const RegistrationType = "用人单位服务专员注册（具体到二级单位）"

// NewStaff is what 审核用户注册 sends.
type NewStaff struct {
	RegistrationType string `json:"registration_type"`
	Name             string `json:"name"`
	IDType           string `json:"id_type"`
	IDNumber         string `json:"id_number"`
	Mobile           string `json:"mobile"`
	DepartmentID     int64  `json:"department_id"`
	Position         string `json:"position"`
	OfficePhone      string `json:"office_phone"`
	Username         string `json:"username"`
	Password         string `json:"password"`
	PasswordConfirm  string `json:"password_confirm"`
}

// Normalize trims what users type around the values (never the password).
func (n *NewStaff) Normalize() {
	n.Name = strings.TrimSpace(n.Name)
	n.IDNumber = validate.NormalizeID(n.IDNumber)
	n.Mobile = strings.TrimSpace(n.Mobile)
	n.Position = strings.TrimSpace(n.Position)
	n.OfficePhone = strings.TrimSpace(n.OfficePhone)
	n.Username = strings.TrimSpace(n.Username)
}

// Check adds the registration's field errors to c.
func (n *NewStaff) Check(c *validate.Checker, today time.Time) {
	c.Check("registration_type", n.RegistrationType == RegistrationType, "请选择注册类型")
	c.Text("name", n.Name, "姓名", 30)
	c.ID("id_type", "id_number", n.IDType, n.IDNumber, today)
	c.Mobile("mobile", n.Mobile)
	c.Check("department_id", n.DepartmentID != 0, "请选择所在二级单位")
	c.Text("position", n.Position, "职务", 30)
	if n.OfficePhone == "" {
		c.Add("office_phone", "请填写办公电话")
	} else if !validate.IsPhone(n.OfficePhone) {
		c.Add("office_phone", "办公电话应为手机号码或带区号的固定电话，如 0531-86123456")
	}
	CheckUsername(c, "username", n.Username)
	c.Password("password", "password_confirm", n.Password, n.PasswordConfirm)
}

// Staff is a commissioner's account with its registration details.
type Staff struct {
	User
	IDType       string `json:"id_type"`
	IDNumber     string `json:"id_number"`
	MobileShown  string `json:"mobile"`
	DepartmentID int64  `json:"department_id"`
	Position     string `json:"position"`
	OfficePhone  string `json:"office_phone"`
	RejectReason string `json:"reject_reason"`
	CreatedAt    string `json:"created_at"`
	ReviewedAt   string `json:"reviewed_at"`
}

// Masked returns s with its ID number and mobile masked for lists.
func (s Staff) Masked() Staff {
	s.IDNumber = validate.MaskID(s.IDNumber)
	s.MobileShown = validate.MaskMobile(s.Mobile)
	return s
}

// ErrDuplicateID refuses a second registration with the same ID.
var ErrDuplicateID = apperr.InvalidField("id_number", "该证件号码已注册，请勿重复注册")

// RegisterStaff checks n and creates a pending commissioner account; it
// cannot sign in until the leader approves it.
func RegisterStaff(ctx context.Context, db *store.DB, n NewStaff, hash HashParams, client string) (User, error) {
	n.Normalize()
	var c validate.Checker
	n.Check(&c, clock.Now())
	if err := c.Err(); err != nil {
		return User{}, err
	}
	if _, err := unit.ActiveDepartment(ctx, db, n.DepartmentID, "department_id"); err != nil {
		return User{}, err
	}
	if taken, err := UsernameTaken(ctx, db, n.Username); err != nil || taken {
		if err == nil {
			err = ErrUsernameTaken
		}
		return User{}, err
	}
	passwordHash, err := HashPassword(n.Password, hash)
	if err != nil {
		return User{}, err
	}
	var u User
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		u, err = CreateUser(ctx, tx, User{Role: RoleCommissioner, Username: n.Username, Name: n.Name, Mobile: n.Mobile, Status: StatusPending}, passwordHash)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO staff(user_id, id_type, id_number, id_index, department_id, position, office_phone)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, u.ID, n.IDType, vault.Seal(n.IDNumber), idIndex(n.IDType, n.IDNumber), n.DepartmentID,
			n.Position, vault.Seal(n.OfficePhone))
		if err != nil {
			if store.IsUnique(err) {
				return ErrDuplicateID
			}
			return fmt.Errorf("account: register staff: %w", err)
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: u.Actor(client), Action: "服务专员注册",
			Object: staffObject(u), Outcome: audit.OK, Detail: "等待单位负责人审核"})
	})
	return u, err
}

func staffObject(u User) string { return "服务专员 " + u.Name + "（" + u.Username + "）" }

const staffColumns = `u.id, u.role, u.username, u.name, u.mobile, u.status, u.must_change_password,
	s.id_type, s.id_number, s.department_id, s.position, s.office_phone, s.reject_reason, u.created_at, s.reviewed_at`

func scanStaff(row interface{ Scan(...any) error }) (Staff, error) {
	var s Staff
	err := row.Scan(&s.ID, &s.Role, &s.Username, &s.Name, &s.Mobile, &s.Status, &s.MustChangePassword,
		&s.IDType, &s.IDNumber, &s.DepartmentID, &s.Position, &s.OfficePhone, &s.RejectReason, &s.CreatedAt, &s.ReviewedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Staff{}, ErrStaffNotFound
	}
	if err != nil {
		return Staff{}, fmt.Errorf("account: scan staff: %w", err)
	}
	s.Mobile = vault.MustOpen(s.Mobile, &err)
	s.IDNumber = vault.MustOpen(s.IDNumber, &err)
	s.OfficePhone = vault.MustOpen(s.OfficePhone, &err)
	s.MobileShown = s.Mobile
	return s, err
}

// ErrStaffNotFound is returned for an unknown commissioner.
var ErrStaffNotFound = apperr.NotFound("该服务专员不存在")

// StaffByID returns one commissioner with unmasked details.
func StaffByID(ctx context.Context, q store.Querier, id int64) (Staff, error) {
	return scanStaff(q.QueryRowContext(ctx, `SELECT `+staffColumns+` FROM users u JOIN staff s ON s.user_id = u.id WHERE u.id = ?`, id))
}

// StaffFilter selects commissioners for a tab of 服务专员审核.
type StaffFilter struct {
	Statuses []Status
	// Name is part of a commissioner's name or username.
	Name           string
	Page, PageSize int
}

// StaffList returns a page of the commissioners f selects, newest first,
// masked.
func StaffList(ctx context.Context, q store.Querier, f StaffFilter) (store.Page[Staff], error) {
	query := store.From("staff s").Join(staffUsers).WhereIn("u.status", store.Args(f.Statuses))
	if n := strings.TrimSpace(f.Name); n != "" {
		query.Where("(instr(u.name, ?) > 0 OR instr(u.username, ?) > 0)", n, n)
	}
	view := store.View[Staff]{Key: "s.user_id", Joins: staffUsers, Columns: staffColumns, Scan: func(rows *sql.Rows) (Staff, error) {
		s, err := scanStaff(rows)
		return s.Masked(), err
	}}
	page, err := store.List(ctx, q, query, view, "s.user_id DESC", f.Page, f.PageSize)
	if err != nil {
		return page, fmt.Errorf("account: staff list: %w", err)
	}
	return page, nil
}

// staffUsers joins each commissioner to their account. CROSS JOIN keeps
// SQLite reading staff first: users holds every talent too.
const staffUsers = `CROSS JOIN users u ON u.id = s.user_id`

// StaffCounts counts commissioners by account status, remembered until
// the next write (a big unit's hundred commissioners were counted again for
// every page of the 服务专员审核 list and the home page).
func StaffCounts(ctx context.Context, q store.Querier) (map[Status]int, error) {
	byStatus, err := store.From("staff s").Join(staffUsers).CountBy(ctx, q, "u.status")
	if err != nil {
		return nil, fmt.Errorf("account: staff counts: %w", err)
	}
	out := map[Status]int{StatusPending: 0, StatusActive: 0, StatusRejected: 0, StatusDisabled: 0}
	for s, n := range byStatus {
		out[Status(s)] = n
	}
	return out, nil
}

// Staff account actions the leader takes.
const (
	ActionApprove = "approve"
	ActionReject  = "reject"
	ActionDisable = "disable"
	ActionEnable  = "enable"
)

// staffFlow is the commissioner account's whole life: registration waits
// for review; an approved account can be disabled and enabled again.
var staffFlow = flow.Machine{
	{From: string(StatusPending), Action: ActionApprove, Role: string(RoleLeader), To: string(StatusActive)},
	{From: string(StatusPending), Action: ActionReject, Role: string(RoleLeader), To: string(StatusRejected)},
	{From: string(StatusActive), Action: ActionDisable, Role: string(RoleLeader), To: string(StatusDisabled)},
	{From: string(StatusDisabled), Action: ActionEnable, Role: string(RoleLeader), To: string(StatusActive)},
}

var staffActionLabels = map[string]string{
	ActionApprove: "审核通过", ActionReject: "审核不通过", ActionDisable: "停用账号", ActionEnable: "启用账号",
}

// DecideStaff applies a leader's action to a commissioner's account inside
// tx. Reject needs a reason; disable ends the user's sessions at once.
func DecideStaff(ctx context.Context, tx *sql.Tx, by audit.Actor, id int64, action, reason string) (Staff, error) {
	s, err := StaffByID(ctx, tx, id)
	if err != nil {
		return Staff{}, err
	}
	to, ok := staffFlow.Next(string(s.Status), action, by.Role)
	if !ok {
		return Staff{}, apperr.Conflict("该服务专员当前为“" + StatusLabel(s.Status) + "”，不能执行“" + staffActionLabels[action] + "”")
	}
	reason = strings.TrimSpace(reason)
	if action == ActionReject {
		var c validate.Checker
		c.Text("reason", reason, "不通过原因", 200)
		if err := c.Err(); err != nil {
			return Staff{}, err
		}
	}
	now := store.Now()
	if _, err := tx.ExecContext(ctx, `UPDATE users SET status = ?, updated_at = ? WHERE id = ?`, to, now, id); err != nil {
		return Staff{}, fmt.Errorf("account: decide staff: %w", err)
	}
	if action == ActionApprove || action == ActionReject {
		if _, err := tx.ExecContext(ctx, `UPDATE staff SET reject_reason = ?, reviewed_by = ?, reviewed_at = ? WHERE user_id = ?`,
			reason, by.UserID, now, id); err != nil {
			return Staff{}, fmt.Errorf("account: decide staff: %w", err)
		}
	}
	if action == ActionDisable {
		if err := endSessions(ctx, tx, id); err != nil {
			return Staff{}, err
		}
	}
	s.Status = Status(to)
	return s, audit.Append(ctx, tx, audit.Entry{Actor: by, Action: staffActionLabels[action], Object: staffObject(s.User), Outcome: audit.OK, Detail: reason})
}

func endSessions(ctx context.Context, tx *sql.Tx, userID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("account: end sessions: %w", err)
	}
	return nil
}

// StatusLabel is an account status as the UI names it.
func StatusLabel(s Status) string {
	switch s {
	case StatusPending:
		return "待审核"
	case StatusActive:
		return "审核通过"
	case StatusRejected:
		return "审核不通过"
	case StatusDisabled:
		return "已停用"
	}
	return string(s)
}

// RevealStaff returns one unmasked personal field of a commissioner to the
// leader and audits that it was shown.
func RevealStaff(ctx context.Context, db *store.DB, by audit.Actor, id int64, field string) (string, error) {
	s, err := StaffByID(ctx, db, id)
	if err != nil {
		return "", err
	}
	value, label := s.IDNumber, "证件号码"
	if field == "mobile" {
		value, label = s.Mobile, "手机号码"
	} else if field != "id_number" {
		return "", apperr.InvalidField("field", "不支持查看该字段")
	}
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		return audit.Append(ctx, tx, audit.Entry{Actor: by, Action: "查看完整信息", Object: staffObject(s.User), Outcome: audit.OK, Detail: label})
	})
	return value, err
}
