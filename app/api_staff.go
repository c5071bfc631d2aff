package app

import (
	"database/sql"
	"strconv"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/store"
	"huicai/internal/talent"
)

// pathID reads the {id} in a route's path.
func pathID(r *request) (int64, error) { return pathValueID(r.PathValue("id")) }

func pathValueID(v string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFound("没有找到该记录")
	}
	return id, nil
}

type staffPage struct {
	store.Page[account.Staff]
	Counts map[account.Status]int `json:"counts"`
}

// staffTabs maps the 服务专员审核 page's tabs to account statuses; 审核通过
// also lists the accounts the leader has disabled since.
var staffTabs = map[string][]account.Status{
	"pending":  {account.StatusPending},
	"active":   {account.StatusActive, account.StatusDisabled},
	"rejected": {account.StatusRejected},
}

func (a *App) listStaff(r *request) (any, error) {
	if err := refuseSort(r); err != nil {
		return nil, err
	}
	statuses, ok := staffTabs[r.URL.Query().Get("tab")]
	if !ok {
		statuses = staffTabs["pending"]
	}
	page, err := account.StaffList(r.Context(), a.db, account.StaffFilter{Statuses: statuses, Name: r.URL.Query().Get("name"),
		Page: queryInt(r, "page"), PageSize: queryInt(r, "page_size")})
	if err != nil {
		return nil, err
	}
	counts, err := account.StaffCounts(r.Context(), a.db)
	return staffPage{Page: page, Counts: counts}, err
}

func (a *App) getStaff(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	s, err := account.StaffByID(r.Context(), a.db, id)
	return s.Masked(), err
}

type revealRequest struct {
	Field string `json:"field"`
}

type revealed struct {
	Value string `json:"value"`
}

func (a *App) revealStaff(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var in revealRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	v, err := account.RevealStaff(r.Context(), a.db, r.user.Actor(r.client), id, in.Field)
	return revealed{v}, err
}

type decision struct {
	Action string `json:"action"`
	Reason string `json:"reason"`
}

func (a *App) decideStaff(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var in decision
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	var s account.Staff
	err = a.db.Tx(r.Context(), func(tx *sql.Tx) error {
		s, err = account.DecideStaff(r.Context(), tx, r.user.Actor(r.client), id, in.Action, in.Reason)
		return err
	})
	return s.Masked(), err
}

type temporaryPassword struct {
	Password string `json:"password"`
}

func (a *App) resetStaffPassword(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	p, err := a.accounts.ResetPassword(r.Context(), r.user.Actor(r.client), id)
	return temporaryPassword{p}, err
}

func (a *App) staffTalents(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	if _, err := account.StaffByID(r.Context(), a.db, id); err != nil {
		return nil, err
	}
	return talent.List(r.Context(), a.db, talent.Filter{CommissionerID: id, Sort: r.URL.Query().Get("sort"),
		Page: queryInt(r, "page"), PageSize: queryInt(r, "page_size")})
}

type bindRequest struct {
	TalentIDs []int64 `json:"talent_ids"`
}

type bindResult struct {
	Bound int `json:"bound"`
}

func (a *App) bindTalents(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var in bindRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	s, err := account.StaffByID(r.Context(), a.db, id)
	if err != nil {
		return nil, err
	}
	var n int
	err = a.db.Tx(r.Context(), func(tx *sql.Tx) error {
		n, err = talent.Bind(r.Context(), tx, r.user.Actor(r.client), s.User, in.TalentIDs)
		return err
	})
	return bindResult{n}, err
}

func (a *App) unbindTalent(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return nil, a.db.Tx(r.Context(), func(tx *sql.Tx) error {
		return talent.Unbind(r.Context(), tx, r.user.Actor(r.client), id)
	})
}
