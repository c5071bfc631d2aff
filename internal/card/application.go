package card

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/flow"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/validate"
)

// Migrations creates applications, their attachments and their history,
// opens an application for every talent registered before, and keeps the
// register of issued cards.
func Migrations() []store.Migration {
	return append([]store.Migration{{Version: 9, Name: "card: applications", Up: store.Exec(append([]string{
		`CREATE TABLE card_applications (
			id INTEGER PRIMARY KEY,
			talent_id INTEGER NOT NULL REFERENCES talents(user_id),
			state TEXT NOT NULL,
			version INTEGER NOT NULL DEFAULT 1,
			highest_education TEXT NOT NULL DEFAULT '',
			highest_degree TEXT NOT NULL DEFAULT '',
			school_major TEXT NOT NULL DEFAULT '',
			professional_title TEXT NOT NULL DEFAULT '',
			current_position TEXT NOT NULL DEFAULT '',
			field TEXT NOT NULL DEFAULT '',
			title_document TEXT NOT NULL DEFAULT '',
			achievements TEXT NOT NULL DEFAULT '',
			postal_address TEXT NOT NULL DEFAULT '',
			postal_code TEXT NOT NULL DEFAULT '',
			card_no TEXT NOT NULL DEFAULT '',
			issued_on TEXT NOT NULL DEFAULT '',
			expires_on TEXT NOT NULL DEFAULT '',
			created_at TEXT NOT NULL,
			updated_at TEXT NOT NULL
		)`,
		`CREATE UNIQUE INDEX card_applications_open ON card_applications(talent_id)
			WHERE state NOT IN ('issued', 'province_rejected')`,
		`CREATE TABLE card_attachments (
			id INTEGER PRIMARY KEY,
			application_id INTEGER NOT NULL REFERENCES card_applications(id),
			kind TEXT NOT NULL CHECK (kind IN ('id_scan', 'title_proof', 'other')),
			file_id INTEGER NOT NULL REFERENCES files(id),
			created_at TEXT NOT NULL
		)`,
		`CREATE INDEX card_attachments_application ON card_attachments(application_id)`,
		`INSERT INTO card_applications(talent_id, state, created_at, updated_at)
			SELECT user_id, 'supplement', created_at, created_at FROM talents`,
	}, flow.EventsTable("card_events", "application_id", "card_applications")...)...)}},
		append(append(holderMigrations(), timesMigration, listMigration, holderListMigration, commissionerMigration, countsMigration,
			monthMigration, holderCommissionerMigration, latestMigration, store.KeepTotal(62, "card_applications"), departmentMigration,
			applicationNames.Moves(72, "commissioner_id", "created_at", "department_id")),
			nameIndexMigrations...)...)
}

// timesMigration rewrites the times stored before one fixed width was used
// (some RFC 3339 with fractional seconds, some without: they did not sort).
var timesMigration = store.Migration{Version: 24, Name: "card: fixed-width times", Up: store.FixTimesStep(map[string][]string{
	"card_applications": {"created_at", "updated_at"}, "card_attachments": {"created_at"}, "card_events": {"at"},
	"cards": {"created_at"}})}

// Materials are what the commissioner completes (补充材料).
type Materials struct {
	HighestEducation  string `json:"highest_education"`
	HighestDegree     string `json:"highest_degree"`
	SchoolMajor       string `json:"school_major"`
	ProfessionalTitle string `json:"professional_title"`
	CurrentPosition   string `json:"current_position"`
	Field             string `json:"field"`
	TitleDocument     string `json:"title_document"`
	Achievements      string `json:"achievements"`
	PostalAddress     string `json:"postal_address"`
	PostalCode        string `json:"postal_code"`
}

// Application is one talent's request for a card.
type Application struct {
	ID         int64  `json:"id"`
	TalentID   int64  `json:"talent_id"`
	State      string `json:"state"`
	StateLabel string `json:"state_label"`
	Version    int    `json:"version"`
	Materials
	CardNo    string `json:"card_no"`
	IssuedOn  string `json:"issued_on"`
	ExpiresOn string `json:"expires_on"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
	// Actions are what the user who loaded it may do now (see Visible).
	Actions flow.Actions `json:"actions"`
}

// AchievementsMax bounds 主要业绩与贡献.
const AchievementsMax = 2000

var postalCodePattern = regexp.MustCompile(`^[0-9]{6}$`)

// materialField is one of the materials as its checks name it.
type materialField struct {
	name, label string
	max         int
	value       *string
}

// fields are the materials but the postal code, which has its own check.
func (m *Materials) fields() []materialField {
	return []materialField{{"highest_education", "最高学历", 20, &m.HighestEducation},
		{"highest_degree", "最高学位", 20, &m.HighestDegree}, {"school_major", "毕业院校及专业", 100, &m.SchoolMajor},
		{"professional_title", "专业技术职务（职称）", 50, &m.ProfessionalTitle},
		{"current_position", "现任职务", 50, &m.CurrentPosition}, {"field", "从事专业领域", 100, &m.Field},
		{"title_document", "人才称号批准文件及文号", 200, &m.TitleDocument},
		{"achievements", "主要业绩与贡献", AchievementsMax, &m.Achievements},
		{"postal_address", "通讯地址", 200, &m.PostalAddress}}
}

func (m *Materials) normalize() {
	for _, f := range m.fields() {
		*f.value = strings.TrimSpace(*f.value)
	}
	m.PostalCode = strings.TrimSpace(m.PostalCode)
}

// Educations are the 最高学历 a form offers: the levels of GB/T 4658
// (学历代码), highest first.
var Educations = []string{"博士研究生", "硕士研究生", "大学本科", "大学专科", "中等专科", "职业高中", "技工学校",
	"普通高中", "初中", "小学", "其他"}

// Degrees are the 最高学位 a form offers: those of GB/T 6864 (学位代码), and 无.
var Degrees = []string{"博士", "硕士", "学士", "无"}

// checkLengths refuses over-long values, and 学历 or 学位 outside their
// lists, even in a draft.
func (m *Materials) checkLengths(c *validate.Checker) {
	for _, f := range m.fields() {
		c.OptionalText(f.name, *f.value, f.label, f.max)
	}
	c.Choice("highest_education", m.HighestEducation, "最高学历", Educations)
	c.Choice("highest_degree", m.HighestDegree, "最高学位", Degrees)
	if m.PostalCode != "" && !postalCodePattern.MatchString(m.PostalCode) {
		c.Add("postal_code", "邮政编码应为6位数字")
	}
}

// checkComplete requires every field, as 提交到单位负责人 does.
func (m *Materials) checkComplete(c *validate.Checker) {
	for _, f := range m.fields() {
		c.Text(f.name, *f.value, f.label, f.max)
	}
	c.Check("postal_code", m.PostalCode != "", "请填写邮政编码")
	m.checkLengths(c)
}

const applicationColumns = `id, talent_id, state, version, highest_education, highest_degree, school_major,
	professional_title, current_position, field, title_document, achievements, postal_address, postal_code,
	card_no, issued_on, expires_on, created_at, updated_at`

func scanApplication(row interface{ Scan(...any) error }) (Application, error) {
	var a Application
	m := &a.Materials
	err := row.Scan(&a.ID, &a.TalentID, &a.State, &a.Version, &m.HighestEducation, &m.HighestDegree, &m.SchoolMajor,
		&m.ProfessionalTitle, &m.CurrentPosition, &m.Field, &m.TitleDocument, &m.Achievements, &m.PostalAddress,
		&m.PostalCode, &a.CardNo, &a.IssuedOn, &a.ExpiresOn, &a.CreatedAt, &a.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Application{}, ErrNotFound
	}
	if err != nil {
		return Application{}, fmt.Errorf("card: scan: %w", err)
	}
	a.StateLabel = StateLabels[a.State]
	return a, nil
}

// ErrNotFound is returned for an unknown application.
var ErrNotFound = apperr.NotFound("该惠才卡申领不存在")

// ByID returns one application.
func ByID(ctx context.Context, q store.Querier, id int64) (Application, error) {
	return scanApplication(q.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM card_applications WHERE id = ?`, id))
}

// Current returns a talent's newest application.
func Current(ctx context.Context, q store.Querier, talentID int64) (Application, error) {
	return scanApplication(q.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM card_applications
		WHERE talent_id = ? ORDER BY id DESC LIMIT 1`, talentID))
}

// Open creates a talent's application, waiting for materials, inside tx.
func Open(ctx context.Context, tx *sql.Tx, t talent.Talent) error {
	now := store.Now()
	_, err := tx.ExecContext(ctx, `INSERT INTO card_applications(talent_id, state, created_at, updated_at) VALUES (?, ?, ?, ?)`,
		t.ID, StateSupplement, now, now)
	if err != nil {
		if store.IsUnique(err) {
			return apperr.Conflict("该高层次人才已有正在办理的惠才卡申领")
		}
		return fmt.Errorf("card: open: %w", err)
	}
	return nil
}

// ProfileEditable refuses a talent's edit of their registration once their
// application has gone to the leader; it runs inside the edit's tx.
func ProfileEditable(ctx context.Context, tx *sql.Tx, t talent.Talent) error {
	reason, err := ProfileLock(ctx, tx, t.ID)
	if err == nil && reason != "" {
		err = apperr.Conflict(reason)
	}
	return err
}

// ProfileLock says why talent talentID may no longer edit what they
// registered ("" while they may): their application has gone to the leader.
func ProfileLock(ctx context.Context, q store.Querier, talentID int64) (string, error) {
	a, err := Current(ctx, q, talentID)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if !Machine.Allows(a.State, ActionEditProfile, roleTalent) {
		return "您的惠才卡申领已提交（" + a.StateLabel + "），不能再修改注册信息；如需更正，请联系服务专员", nil
	}
	return "", nil
}

// transition moves a to the state action leads to, bumping its version and
// recording the event and the audit row, all inside tx. version must be the
// version the user saw.
func transition(ctx context.Context, tx *sql.Tx, a Application, action string, by account.User, version int, opinion, client string) (Application, error) {
	t := from(a)
	t.Version, t.Action, t.By, t.ByName, t.Opinion = version, action, by.Actor(client), by.Name, opinion
	if _, err := workflow.Move(ctx, tx, t); err != nil {
		return Application{}, err
	}
	return ByID(ctx, tx, a.ID)
}

// from is application a as a transition starts from it.
func from(a Application) flow.Transition {
	return flow.Transition{ID: a.ID, State: a.State, StateLabel: a.StateLabel, Version: a.Version,
		Object: fmt.Sprintf("惠才卡申领 #%d", a.ID)}
}
