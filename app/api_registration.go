package app

import (
	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/card"
	"huicai/internal/talent"
	"huicai/internal/unit"
	"huicai/internal/validate"
)

type registrationOptions struct {
	RegistrationTypes []string          `json:"registration_types"`
	IDTypes           []string          `json:"id_types"`
	Departments       []unit.Department `json:"departments"`
	Categories        []talent.Option   `json:"categories"`
	Titles            []talent.Option   `json:"titles"`
}

// registrationOptions are the choices the two registration pages offer.
func (a *App) registrationOptions(r *request) (any, error) {
	ctx := r.Context()
	out := registrationOptions{RegistrationTypes: []string{account.RegistrationType}, IDTypes: validate.IDTypes}
	var err error
	if out.Departments, err = unit.Departments(ctx, a.db, true); err != nil {
		return nil, err
	}
	if out.Categories, err = talent.Options(ctx, a.db, talent.KindCategory, true); err != nil {
		return nil, err
	}
	if out.Titles, err = talent.Options(ctx, a.db, talent.KindTitle, true); err != nil {
		return nil, err
	}
	return out, nil
}

type created struct {
	ID int64 `json:"id"`
}

// errTooManyRegistrations refuses a burst of registrations from one address.
var errTooManyRegistrations = apperr.New(apperr.CodeTooMany, "注册请求过于频繁，请一分钟后再试")

func (a *App) registerTalent(r *request) (any, error) {
	if !a.registrations.allow(r.client) {
		return nil, errTooManyRegistrations
	}
	var in talent.Registration
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	t, err := talent.Register(r.Context(), a.db, in, a.policy.Hash, r.client, card.Open)
	if err != nil {
		return nil, err
	}
	return created{t.ID}, nil
}

func (a *App) registerStaff(r *request) (any, error) {
	if !a.registrations.allow(r.client) {
		return nil, errTooManyRegistrations
	}
	var in account.NewStaff
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	u, err := account.RegisterStaff(r.Context(), a.db, in, a.policy.Hash, r.client)
	if err != nil {
		return nil, err
	}
	return created{u.ID}, nil
}

func (a *App) changePassword(r *request) (any, error) {
	var in account.PasswordChange
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return nil, a.accounts.ChangePassword(r.Context(), r.user, in, r.token, r.client)
}
