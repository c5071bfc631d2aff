package app

import (
	"strconv"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/card"
	"huicai/internal/store"
	"huicai/internal/talent"
)

func queryInt(r *request, name string) int {
	n, _ := strconv.Atoi(r.URL.Query().Get(name))
	return n
}

// refuseSort answers a sort asked of a list that offers none, as a list
// answers a sort it does not offer.
func refuseSort(r *request) error {
	if r.URL.Query().Get("sort") != "" {
		return apperr.InvalidField("sort", "此列表不支持排序，按默认顺序列出")
	}
	return nil
}

// listTalents lists talents: all of them for the leader, only their own
// bound talents for a commissioner.
func (a *App) listTalents(r *request) (any, error) { return a.talentsPage(r) }

// talentsPage is the page of talents the request's filter selects.
func (a *App) talentsPage(r *request) (store.Page[talent.Talent], error) {
	q := r.URL.Query()
	f := talent.Filter{Name: q.Get("name"), IDNumber: q.Get("id_number"), Sort: q.Get("sort"), From: q.Get("from"), To: q.Get("to"), DepartmentID: int64(queryInt(r, "department_id")), Bound: q.Get("bound"),
		Page: queryInt(r, "page"), PageSize: queryInt(r, "page_size")}
	if r.user.Role == account.RoleCommissioner {
		f.CommissionerID, f.Bound = r.user.ID, ""
	}
	if q.Get("card") == "none" {
		f.Also, f.AlsoArgs = card.WithoutValidCard("t.user_id")
	}
	return talent.List(r.Context(), a.db, f)
}

func (a *App) getTalent(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	t, err := talent.Visible(r.Context(), a.db, r.user, id)
	return t.Masked(), err
}

func (a *App) revealTalent(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var in revealRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	v, err := talent.Reveal(r.Context(), a.db, r.user, id, in.Field, r.client)
	return revealed{v}, err
}

// myProfile is the signed-in talent's own profile, and whether they may
// still edit it (and if not, why).
type myProfile struct {
	talent.Talent
	Editable     bool   `json:"editable"`
	LockedReason string `json:"locked_reason"`
}

// myTalent is the signed-in talent's own profile, in full: it is theirs.
func (a *App) myTalent(r *request) (any, error) {
	t, err := talent.ByID(r.Context(), a.db, r.user.ID)
	if err != nil {
		return nil, err
	}
	locked, err := card.ProfileLock(r.Context(), a.db, t.ID)
	return myProfile{Talent: t, Editable: locked == "", LockedReason: locked}, err
}

func (a *App) updateMyTalent(r *request) (any, error) {
	var p talent.ProfileEdit
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	return talent.UpdateProfile(r.Context(), a.db, r.user, r.user.ID, p, r.client, card.ProfileEditable)
}

type openAccountRequest struct {
	Username string `json:"username"`
}

// openTalentAccount opens the account of a talent the unit imported, with
// a temporary password shown once (leader).
func (a *App) openTalentAccount(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var in openAccountRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if _, err := talent.Visible(r.Context(), a.db, r.user, id); err != nil {
		return nil, err
	}
	return a.accounts.OpenImported(r.Context(), r.user.Actor(r.client), id, in.Username)
}
