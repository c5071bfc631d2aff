package card

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/clock"
	"huicai/internal/flow"
	"huicai/internal/pack"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/validate"
	"huicai/internal/vault"
)

// holderMigrations creates the register of issued cards.
func holderMigrations() []store.Migration {
	return []store.Migration{{Version: 12, Name: "card: cards", Up: store.Exec(
		`CREATE TABLE cards (
			id INTEGER PRIMARY KEY,
			talent_id INTEGER NOT NULL REFERENCES talents(user_id),
			card_no TEXT NOT NULL UNIQUE,
			issued_on TEXT NOT NULL,
			expires_on TEXT NOT NULL,
			application_id INTEGER REFERENCES card_applications(id),
			valid INTEGER NOT NULL DEFAULT 1,
			invalid_reason TEXT NOT NULL DEFAULT '',
			invalid_on TEXT NOT NULL DEFAULT '',
			created_at TEXT NOT NULL
		)`,
		`CREATE INDEX cards_talent ON cards(talent_id)`,
		`INSERT INTO cards(talent_id, card_no, issued_on, expires_on, application_id, created_at)
			SELECT talent_id, card_no, issued_on, expires_on, id, updated_at FROM card_applications WHERE state = 'issued'`,
	)}}
}

// Card is an issued 惠才卡.
type Card struct {
	ID            int64  `json:"id"`
	TalentID      int64  `json:"talent_id"`
	CardNo        string `json:"card_no"`
	IssuedOn      string `json:"issued_on"`
	ExpiresOn     string `json:"expires_on"`
	Valid         bool   `json:"valid"`
	Status        string `json:"status"` // 有效, 已过期, 已失效
	InvalidReason string `json:"invalid_reason"`
	InvalidOn     string `json:"invalid_on"`
}

const cardColumns = `id, talent_id, card_no, issued_on, expires_on, valid, invalid_reason, invalid_on`

func scanCard(row interface{ Scan(...any) error }) (Card, error) {
	var c Card
	err := row.Scan(&c.ID, &c.TalentID, &c.CardNo, &c.IssuedOn, &c.ExpiresOn, &c.Valid, &c.InvalidReason, &c.InvalidOn)
	if errors.Is(err, sql.ErrNoRows) {
		return Card{}, ErrNoCard
	}
	if err != nil {
		return Card{}, fmt.Errorf("card: scan card: %w", err)
	}
	return withStatus(c), nil
}

// ErrNoCard means the talent holds no card.
var ErrNoCard = apperr.Conflict("该高层次人才尚未持有惠才卡")

// HeldBy returns the talent's newest card.
func HeldBy(ctx context.Context, q store.Querier, talentID int64) (Card, error) {
	return scanCard(q.QueryRowContext(ctx, `SELECT `+cardColumns+` FROM cards WHERE talent_id = ? ORDER BY id DESC LIMIT 1`, talentID))
}

// CardByID returns one card.
func CardByID(ctx context.Context, q store.Querier, id int64) (Card, error) {
	return scanCard(q.QueryRowContext(ctx, `SELECT `+cardColumns+` FROM cards WHERE id = ?`, id))
}

func insertCard(ctx context.Context, tx *sql.Tx, talentID int64, no, issued, expires string, applicationID any) (Card, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO cards(talent_id, card_no, issued_on, expires_on, application_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, talentID, no, issued, expires, applicationID, store.Now())
	if err != nil {
		if store.IsUnique(err) {
			return Card{}, apperr.InvalidField("card_no", "该惠才卡号已登记")
		}
		return Card{}, fmt.Errorf("card: insert card: %w", err)
	}
	id, _ := res.LastInsertId()
	return CardByID(ctx, tx, id)
}

// ExistingCard is a card issued before the unit used this app.
type ExistingCard struct {
	TalentID  int64  `json:"talent_id"`
	CardNo    string `json:"card_no"`
	IssuedOn  string `json:"issued_on"`
	ExpiresOn string `json:"expires_on"` // empty: five years
}

// RecordExisting registers a card issued before the unit used this app
// (leader), audited.
func RecordExisting(ctx context.Context, db *store.DB, by account.User, in ExistingCard, client string) (Card, error) {
	in.CardNo = strings.TrimSpace(in.CardNo)
	var c validate.Checker
	c.Check("talent_id", in.TalentID != 0, "请选择高层次人才")
	c.Text("card_no", in.CardNo, "惠才卡号", 40)
	issued, err := time.Parse("2006-01-02", in.IssuedOn)
	switch {
	case in.IssuedOn == "":
		c.Add("issued_on", "请选择发卡日期")
	case err != nil || issued.After(clock.Now()):
		c.Add("issued_on", "请选择正确的发卡日期")
	default:
		if in.ExpiresOn == "" {
			in.ExpiresOn = pack.ExpiryOf(issued).Format("2006-01-02")
		}
		if exp, err := time.Parse("2006-01-02", in.ExpiresOn); err != nil || !exp.After(issued) {
			c.Add("expires_on", "有效期至应晚于发卡日期")
		}
	}
	if err := c.Err(); err != nil {
		return Card{}, err
	}
	var out Card
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		t, err := talent.ByID(ctx, tx, in.TalentID)
		if err != nil {
			return err
		}
		if held, err := HeldBy(ctx, tx, t.ID); err == nil && held.Valid && held.ExpiresOn >= clock.Today() {
			return apperr.Conflict("该高层次人才已持有有效的惠才卡 " + held.CardNo)
		}
		if out, err = insertCard(ctx, tx, t.ID, in.CardNo, in.IssuedOn, in.ExpiresOn, nil); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: by.Actor(client), Action: "登记已有惠才卡", Object: "高层次人才 " + t.Name,
			Outcome: audit.OK, Detail: fmt.Sprintf("惠才卡号 %s，发卡日期 %s，有效期至 %s", in.CardNo, in.IssuedOn, in.ExpiresOn)})
	})
	return out, err
}

// Invalidate ends a card's validity inside tx, keeping its history.
func Invalidate(ctx context.Context, tx *sql.Tx, cardID int64, reason, on string) error {
	_, err := tx.ExecContext(ctx, `UPDATE cards SET valid = 0, invalid_reason = ?, invalid_on = ? WHERE id = ?`, reason, on, cardID)
	if err != nil {
		return fmt.Errorf("card: invalidate: %w", err)
	}
	return nil
}

// Holder is a talent with their card, for pickers and lists.
type Holder struct {
	Card
	Name         string `json:"name"`
	Gender       string `json:"gender"`
	IDType       string `json:"id_type"`
	IDNumber     string `json:"id_number"`
	Mobile       string `json:"mobile"`
	DepartmentID int64  `json:"department_id"`
	// Actions are what the user who listed it may do now (see For).
	Actions flow.Actions `json:"actions"`
}

// HolderFilter selects card holders for the 持卡人才 list and the
// talent pickers of 专家变动申请.
type HolderFilter struct {
	// Name is part of a talent's name; IDNumber a whole ID number.
	Name     string
	IDNumber string
	// CommissionerID restricts the list to a commissioner's bound talents.
	CommissionerID int64
	// DepartmentID keeps one 二级单位's holders; Category one 人才类别's.
	DepartmentID int64
	Category     string
	// Status keeps cards of one standing (StatusValid …); "" for all.
	Status string
	// ExpiresFrom and ExpiresTo bound 有效期至 (YYYY-MM-DD).
	ExpiresFrom, ExpiresTo string
	// Sort is a key of holderOrder ("expires", "-issued" …), "" for the
	// newest card first.
	Sort           string
	Page, PageSize int
}

// holderOrder is how the card holders list sorts.
var holderOrder = store.Order{Default: "c.id DESC", Tie: "c.id",
	Keys: map[string]string{"issued": "c.issued_on", "expires": "c.expires_on"}}

// holderListMigration indexes cards for the holders list's sort keys.
var holderListMigration = store.Migration{Version: 38, Name: "card: holder list indexes", Up: store.Exec(
	`CREATE INDEX cards_issued ON cards(issued_on)`,
	`CREATE INDEX cards_expires ON cards(expires_on)`,
)}

// holderCommissionerMigration copies each card's talent's commissioner
// onto it, kept by triggers as cards are issued and talents bound, rebound
// and released, and indexes it newest card first: a commissioner's card
// holders come from the index, ten rows for a page however many talents
// they serve, where looking them up through their talents read and
// sorted every card of theirs. (The copy is card's, as the applications'
// is: commissionerMigration.)
var holderCommissionerMigration = store.Migration{Version: 51, Name: "card: a commissioner's card holders in order", Up: store.Exec(
	`ALTER TABLE cards ADD COLUMN commissioner_id INTEGER`,
	`UPDATE cards SET commissioner_id = (SELECT commissioner_id FROM talents WHERE user_id = cards.talent_id)`,
	`CREATE INDEX cards_commissioner ON cards(commissioner_id, id)`,
	`CREATE TRIGGER cards_commissioner_insert AFTER INSERT ON cards BEGIN
		UPDATE cards SET commissioner_id = (SELECT commissioner_id FROM talents WHERE user_id = NEW.talent_id) WHERE id = NEW.id;
	END`,
	`CREATE TRIGGER cards_commissioner_bind AFTER UPDATE OF commissioner_id ON talents BEGIN
		UPDATE cards SET commissioner_id = NEW.commissioner_id WHERE talent_id = NEW.user_id;
	END`,
)}

// latestMigration marks each talent's newest card (latest = 1), kept by
// a trigger as cards are recorded (a card is never deleted, and its id is
// above every card before it), so that the holders list, its counts and
// the charts read the newest cards along an index instead of looking up,
// for every card, its talent's newest (7 ms to count 14,000 cards). The
// holders list's indexes lead with it, each in a sort key's order, and the
// number of holders is kept (card_holders_total, read as
// store.TotalOf("card_holders")).
var latestMigration = store.Migration{Version: 60, Name: "card: each talent's newest card marked", Up: store.Exec(
	`ALTER TABLE cards ADD COLUMN latest INTEGER NOT NULL DEFAULT 0`,
	`UPDATE cards SET latest = 1 WHERE id IN (SELECT MAX(id) FROM cards GROUP BY talent_id)`,
	`CREATE INDEX cards_latest ON cards(latest, id)`,
	`DROP INDEX cards_issued`,
	`CREATE INDEX cards_issued ON cards(latest, issued_on)`,
	`DROP INDEX cards_expires`,
	`CREATE INDEX cards_expires ON cards(latest, expires_on)`,
	`DROP INDEX cards_commissioner`,
	`CREATE INDEX cards_commissioner ON cards(commissioner_id, latest, id)`,
	`CREATE TABLE card_holders_total (n INTEGER NOT NULL)`,
	`INSERT INTO card_holders_total(n) SELECT COUNT(*) FROM cards WHERE latest = 1`,
	`CREATE TRIGGER cards_latest_insert AFTER INSERT ON cards BEGIN
		UPDATE card_holders_total SET n = n + 1
			WHERE NOT EXISTS (SELECT 1 FROM cards WHERE talent_id = NEW.talent_id AND id <> NEW.id);
		UPDATE cards SET latest = (id = NEW.id) WHERE talent_id = NEW.talent_id AND (latest = 1 OR id = NEW.id);
	END`,
)}

// Holders lists a page of the talents holding a card, newest card per
// talent. Personal numbers are masked.
func Holders(ctx context.Context, q store.Querier, f HolderFilter) (store.Page[Holder], error) {
	order, err := holderOrder.By(f.Sort)
	if err != nil {
		return store.Page[Holder]{}, err
	}
	view := store.View[Holder]{Key: "c.id", Joins: holderTalents, Columns: holderColumns, Scan: scanHolder}
	query, order, err := talent.ListSearch(holderNames, f.Name, &view, order)
	if err != nil {
		return store.Page[Holder]{}, err
	}
	query.Match(talent.IDMatch("c.talent_id", f.IDNumber))
	query.WhereID("c.commissioner_id", f.CommissionerID)
	if f.DepartmentID != 0 || f.Category != "" {
		query.Join(holderTalents).WhereID("t.department_id", f.DepartmentID)
		if f.Category != "" {
			query.Where("t.category = ?", f.Category)
		}
	}
	query.Dates("expires_from", "c.expires_on", f.ExpiresFrom, f.ExpiresTo)
	if err := standing(query, f.Status); err != nil {
		return store.Page[Holder]{}, err
	}
	page, err := store.List(ctx, q, query, view, order, f.Page, f.PageSize)
	if err != nil {
		return page, fmt.Errorf("card: holders: %w", err)
	}
	return page, nil
}

// WithoutValidCard is the condition selecting talents (talentID: their
// user_id as a list names it) who hold no valid card: those a card may be
// recorded for (登记已有惠才卡).
func WithoutValidCard(talentID string) (string, []any) {
	return `NOT EXISTS (SELECT 1 FROM cards vc WHERE vc.talent_id = ` + talentID + ` AND vc.valid = 1 AND vc.expires_on >= ?)`,
		[]any{clock.Today()}
}

// standing keeps the cards of one standing (Status).
func standing(q *store.Query, status string) error {
	switch status {
	case "":
	case StatusValid:
		q.Where("c.valid = 1 AND c.expires_on >= ?", clock.Today())
	case StatusExpired:
		q.Where("c.valid = 1 AND c.expires_on < ?", clock.Today())
	case StatusInvalid:
		q.Where("c.valid = 0")
	default:
		return apperr.InvalidField("status", "状态应为 有效、已过期 或 已失效")
	}
	return nil
}

// holderTalents joins each card to its talent.
const holderTalents = `JOIN talents t ON t.user_id = c.talent_id`

const holderColumns = `c.id, c.talent_id, c.card_no, c.issued_on, c.expires_on, c.valid, c.invalid_reason, c.invalid_on,
	t.name, t.gender, t.id_type, t.id_number, t.mobile, t.department_id`

// scanHolder reads a holders list row, masked.
func scanHolder(rows *sql.Rows) (Holder, error) {
	var h Holder
	err := rows.Scan(&h.ID, &h.TalentID, &h.CardNo, &h.IssuedOn, &h.ExpiresOn, &h.Valid, &h.InvalidReason, &h.InvalidOn,
		&h.Name, &h.Gender, &h.IDType, &h.IDNumber, &h.Mobile, &h.DepartmentID)
	h.Card = withStatus(h.Card)
	h.IDNumber, h.Mobile = validate.MaskID(vault.MustOpen(h.IDNumber, &err)), validate.MaskMobile(vault.MustOpen(h.Mobile, &err))
	return h, err
}

// Card standings (Card.Status).
const (
	StatusValid   = "有效"
	StatusExpired = "已过期"
	StatusInvalid = "已失效"
)

// withStatus names a card's standing.
func withStatus(c Card) Card {
	c.Status = Status(c.Valid, c.ExpiresOn)
	return c
}

// Status is the standing of a card still valid or not, expiring on
// expiresOn: 有效, 已过期 or 已失效.
func Status(valid bool, expiresOn string) string {
	switch {
	case !valid:
		return StatusInvalid
	case expiresOn < clock.Today():
		return StatusExpired
	}
	return StatusValid
}
