package card

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/clock"
	"huicai/internal/flow"
	"huicai/internal/store"
	"huicai/internal/talent"
)

// RenewalWindow is how long before a card lapses its holder may apply
// for the next one (到期重新申领).
const RenewalWindow = 90 * 24 * time.Hour

// ActionRenewCard is 到期重新申领 on a row of 持卡人才.
const ActionRenewCard = "renew_card"

// renewable reports whether card c may be renewed today: still valid (not
// ended by a change) and lapsing within RenewalWindow, or lapsed.
func renewable(c Card, today time.Time) bool {
	return c.Valid && c.ExpiresOn <= clock.Day(today.Add(RenewalWindow))
}

// For returns h, from u's list of holders, with the actions u may take on
// it now: a commissioner (whose list holds their bound talents only)
// renews a card that is due. RenewCard checks again.
func (h Holder) For(u account.User, today time.Time) Holder {
	h.Actions = flow.Actions{}
	if u.Role == account.RoleCommissioner && renewable(h.Card, today) {
		h.Actions = append(h.Actions, ActionRenewCard)
	}
	return h
}

// RenewCard opens the next application of talentID, whose card is due
// (到期重新申领), carrying over the materials and attachments of the
// application that issued it, as 重新申领 does. Only the talent's bound
// commissioner may, and only while no other application is open.
func RenewCard(ctx context.Context, db *store.DB, u account.User, talentID int64, client string) (Application, error) {
	var out Application
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		t, err := talent.Visible(ctx, tx, u, talentID)
		if err != nil {
			return err
		}
		if u.Role != account.RoleCommissioner {
			return apperr.Forbidden()
		}
		c, err := HeldBy(ctx, tx, t.ID)
		if errors.Is(err, ErrNoCard) || (err == nil && !renewable(c, clock.Now())) {
			return apperr.Conflict("该人才的惠才卡尚未进入到期前 90 天，不能重新申领")
		}
		if err != nil {
			return err
		}
		from, err := issuingApplication(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if out, err = reopen(ctx, tx, t, from); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: u.Actor(client), Action: "到期重新申领",
			Object: fmt.Sprintf("惠才卡申领 #%d", out.ID), Outcome: audit.OK,
			Detail: fmt.Sprintf("惠才卡 %s 有效期至 %s", c.CardNo, c.ExpiresOn)})
	})
	return out, err
}

// issuingApplication is the application that issued card id; the zero
// Application for a card recorded as already held.
func issuingApplication(ctx context.Context, tx *sql.Tx, cardID int64) (Application, error) {
	var id sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT application_id FROM cards WHERE id = ?`, cardID).Scan(&id); err != nil {
		return Application{}, fmt.Errorf("card: issuing application: %w", err)
	}
	if !id.Valid {
		return Application{}, nil
	}
	return ByID(ctx, tx, id.Int64)
}
