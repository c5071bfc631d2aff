package app

import (
	"strings"

	"huicai/internal/account"
	"huicai/internal/card"
	"huicai/internal/change"
	"huicai/internal/clock"
	"huicai/internal/flow"
	"huicai/internal/store"
	"huicai/internal/talent"
)

func (a *App) changeTypes(r *request) (any, error) {
	return change.Types(r.Context(), a.db, true)
}

// cardHolders lists the talents holding a card: a commissioner's bound
// ones, or all of them for the leader.
// Each row carries what the user may do with it (到期重新申领).
func (a *App) cardHolders(r *request) (any, error) {
	page, err := a.holdersPage(r)
	now := clock.Now()
	for i, h := range page.Items {
		page.Items[i] = h.For(r.user, now)
	}
	return page, err
}

// renewCard opens the next application of a talent whose card is due.
func (a *App) renewCard(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	fresh, err := card.RenewCard(r.Context(), a.db, r.user, id, r.client)
	if err != nil {
		return nil, err
	}
	return a.applicationDetail(r, fresh.ID)
}

// holdersPage is the page of card holders the request's filter selects.
func (a *App) holdersPage(r *request) (store.Page[card.Holder], error) {
	q := r.URL.Query()
	f := card.HolderFilter{Name: q.Get("name"), IDNumber: q.Get("id_number"), Sort: q.Get("sort"),
		DepartmentID: int64(queryInt(r, "department_id")), Category: q.Get("category"), Status: q.Get("status"),
		ExpiresFrom: q.Get("expires_from"), ExpiresTo: q.Get("expires_to"),
		Page: queryInt(r, "page"), PageSize: queryInt(r, "page_size")}
	if r.user.Role == account.RoleCommissioner {
		f.CommissionerID = r.user.ID
	}
	return card.Holders(r.Context(), a.db, f)
}

func (a *App) recordCard(r *request) (any, error) {
	var in card.ExistingCard
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return card.RecordExisting(r.Context(), a.db, r.user, in, r.client)
}

func (a *App) listChanges(r *request) (any, error) { return a.changesPage(r) }

// changesPage is the page of change requests the request's filter selects.
func (a *App) changesPage(r *request) (store.Page[change.Row], error) {
	q := r.URL.Query()
	f := change.Filter{Name: q.Get("name"), IDNumber: q.Get("id_number"), Sort: q.Get("sort"), Todo: q.Get("todo") == "1",
		DepartmentID: int64(queryInt(r, "department_id")), From: q.Get("from"), To: q.Get("to"), Page: queryInt(r, "page"), PageSize: queryInt(r, "page_size")}
	if s := q.Get("state"); s != "" {
		f.States = strings.Split(s, ",")
	}
	return change.List(r.Context(), a.db, f.Scope(r.user))
}

// changeDetail is what the 详情 dialog and 查看审核流程 show.
type changeDetail struct {
	Request           change.Request `json:"request"`
	Talent            talent.Talent  `json:"talent"`
	Card              card.Card      `json:"card"`
	CommissionerName  string         `json:"commissioner_name"`
	CommissionerPhone string         `json:"commissioner_phone"`
	RejectReason      string         `json:"reject_reason"`
	History           []change.Event `json:"history"`
	Flow              []flow.Step    `json:"flow"`
}

func (a *App) getChange(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return a.changeDetail(r, id)
}

func (a *App) changeDetail(r *request, id int64) (changeDetail, error) {
	ctx := r.Context()
	req, err := change.Visible(ctx, a.db, r.user, id)
	if err != nil {
		return changeDetail{}, err
	}
	t, err := talent.ByID(ctx, a.db, req.TalentID)
	if err != nil {
		return changeDetail{}, err
	}
	c, err := card.CardByID(ctx, a.db, req.CardID)
	if err != nil {
		return changeDetail{}, err
	}
	s, err := account.StaffByID(ctx, a.db, req.CommissionerID)
	if err != nil {
		return changeDetail{}, err
	}
	history, err := change.History(ctx, a.db, id)
	if err != nil {
		return changeDetail{}, err
	}
	return changeDetail{Request: req, Talent: t.Masked(), Card: c, CommissionerName: s.Name, CommissionerPhone: s.OfficePhone,
		RejectReason: change.RejectReason(history), History: history, Flow: change.Flow(req, history)}, nil
}

func (a *App) applyChange(r *request) (any, error) {
	var in change.Input
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	req, err := change.Apply(r.Context(), a.db, r.user, in, r.client)
	if err != nil {
		return nil, err
	}
	return a.changeDetail(r, req.ID)
}

func (a *App) resubmitChange(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var in change.Input
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if _, err := change.Resubmit(r.Context(), a.db, r.user, id, in, r.client); err != nil {
		return nil, err
	}
	return a.changeDetail(r, id)
}

func (a *App) decideChange(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var d change.Decision
	if err := decode(r, &d); err != nil {
		return nil, err
	}
	if _, err := change.Decide(r.Context(), a.db, r.user, id, d, r.client); err != nil {
		return nil, err
	}
	return a.changeDetail(r, id)
}
