package card

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/flow"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/validate"
)

// Migrations creates applications, their attachments and their history,
// opens an application for every talent registered before, and keeps the
// register of issued cards.
func Migrations() []store.Migration {
	return append([]store.Migration{{Version: 9, Name: "card: applications", Up: store.Exec(
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
		`CREATE TABLE card_events (
			id INTEGER PRIMARY KEY,
			application_id INTEGER NOT NULL REFERENCES card_applications(id),
			action TEXT NOT NULL,
			from_state TEXT NOT NULL,
			to_state TEXT NOT NULL,
			user_id INTEGER NOT NULL,
			user_name TEXT NOT NULL,
			role TEXT NOT NULL,
			opinion TEXT NOT NULL,
			at TEXT NOT NULL
		)`,
		`CREATE INDEX card_events_application ON card_events(application_id)`,
		`INSERT INTO card_applications(talent_id, state, created_at, updated_at)
			SELECT user_id, 'supplement', created_at, created_at FROM talents`,
	)}}, holderMigrations()...)
}

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
}

// AchievementsMax bounds 主要业绩与贡献.
const AchievementsMax = 2000

var postalCodePattern = regexp.MustCompile(`^[0-9]{6}$`)

func (m *Materials) normalize() {
	for _, s := range []*string{&m.HighestEducation, &m.HighestDegree, &m.SchoolMajor, &m.ProfessionalTitle,
		&m.CurrentPosition, &m.Field, &m.TitleDocument, &m.Achievements, &m.PostalAddress, &m.PostalCode} {
		*s = strings.TrimSpace(*s)
	}
}

// checkLengths refuses over-long values even in a draft.
func (m *Materials) checkLengths(c *validate.Checker) {
	c.OptionalText("highest_education", m.HighestEducation, "最高学历", 20)
	c.OptionalText("highest_degree", m.HighestDegree, "最高学位", 20)
	c.OptionalText("school_major", m.SchoolMajor, "毕业院校及专业", 100)
	c.OptionalText("professional_title", m.ProfessionalTitle, "专业技术职务（职称）", 50)
	c.OptionalText("current_position", m.CurrentPosition, "现任职务", 50)
	c.OptionalText("field", m.Field, "从事专业领域", 100)
	c.OptionalText("title_document", m.TitleDocument, "人才称号批准文件及文号", 200)
	c.OptionalText("achievements", m.Achievements, "主要业绩与贡献", AchievementsMax)
	c.OptionalText("postal_address", m.PostalAddress, "通讯地址", 200)
	if m.PostalCode != "" && !postalCodePattern.MatchString(m.PostalCode) {
		c.Add("postal_code", "邮政编码应为6位数字")
	}
}

// checkComplete requires every field, as 提交到单位负责人 does.
func (m *Materials) checkComplete(c *validate.Checker) {
	c.Text("highest_education", m.HighestEducation, "最高学历", 20)
	c.Text("highest_degree", m.HighestDegree, "最高学位", 20)
	c.Text("school_major", m.SchoolMajor, "毕业院校及专业", 100)
	c.Text("professional_title", m.ProfessionalTitle, "专业技术职务（职称）", 50)
	c.Text("current_position", m.CurrentPosition, "现任职务", 50)
	c.Text("field", m.Field, "从事专业领域", 100)
	c.Text("title_document", m.TitleDocument, "人才称号批准文件及文号", 200)
	c.Text("achievements", m.Achievements, "主要业绩与贡献", AchievementsMax)
	c.Text("postal_address", m.PostalAddress, "通讯地址", 200)
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
	now := time.Now().UTC().Format(time.RFC3339)
	_, err := tx.ExecContext(ctx, `INSERT INTO card_applications(talent_id, state, created_at, updated_at) VALUES (?, ?, ?, ?)`,
		t.ID, StateSupplement, now, now)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return apperr.Conflict("该高层次人才已有正在办理的惠才卡申领")
		}
		return fmt.Errorf("card: open: %w", err)
	}
	return nil
}

// ProfileEditable refuses a talent's edit of their registration once their
// application has gone to the leader; it runs inside the edit's tx.
func ProfileEditable(ctx context.Context, tx *sql.Tx, t talent.Talent) error {
	a, err := Current(ctx, tx, t.ID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !Machine.Allows(a.State, ActionEditProfile, roleTalent) {
		return apperr.Conflict("您的惠才卡申领已提交（" + a.StateLabel + "），不能再修改注册信息；如需更正，请联系服务专员")
	}
	return nil
}

// transition moves a to the state action leads to, bumping its version and
// recording the event and the audit row, all inside tx. version must be the
// version the user saw.
func transition(ctx context.Context, tx *sql.Tx, a Application, action string, by account.User, version int, opinion, client string) (Application, error) {
	to, ok := Machine.Next(a.State, action, string(by.Role))
	if !ok {
		return Application{}, apperr.Conflict("该申领当前为“" + a.StateLabel + "”，不能执行此操作，请刷新后查看")
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	res, err := tx.ExecContext(ctx, `UPDATE card_applications SET state = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ?`, to, now, a.ID, version)
	if err != nil {
		return Application{}, fmt.Errorf("card: transition: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Application{}, ErrStale
	}
	if to != a.State {
		name := by.Name
		if action == ActionIssue || action == ActionRefuse {
			name = flow.ProvinceActor(by.Name)
		}
		if err := flow.Append(ctx, tx, "card_events", "application_id", a.ID, by.ID, flow.Record{Action: action,
			FromState: a.State, ToState: to, UserName: name, Role: string(by.Role), Opinion: opinion, At: now}); err != nil {
			return Application{}, err
		}
	}
	label := ActionLabels[action]
	if label == "" {
		label = "保存惠才卡申领材料"
	}
	if err := audit.Append(ctx, tx, audit.Entry{Actor: by.Actor(client), Action: label,
		Object: fmt.Sprintf("惠才卡申领 #%d", a.ID), Outcome: audit.OK, Detail: opinion}); err != nil {
		return Application{}, err
	}
	return ByID(ctx, tx, a.ID)
}

// ErrStale refuses a save based on an outdated version.
var ErrStale = apperr.Conflict("该申领已被他人修改。您填写的内容仍保留在页面上，请复制保存后刷新，再重新修改提交")
