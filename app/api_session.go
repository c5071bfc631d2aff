package app

import (
	"errors"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/schema"
	"huicai/internal/setup"
	"huicai/internal/store"
	"huicai/internal/unit"
)

type versionInfo struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Schema  int    `json:"schema"`
}

func (a *App) version(*request) (any, error) {
	return versionInfo{Version: Version, Commit: Commit(), Schema: schema.Version()}, nil
}

type setupStatus struct {
	Done     bool   `json:"done"`
	UnitName string `json:"unit_name,omitempty"`
	ReadOnly string `json:"read_only,omitempty"`
	// TokenRequired asks the first-run page for the setup token the LAN
	// server printed.
	TokenRequired bool `json:"token_required,omitempty"`
}

func (a *App) setupStatus(r *request) (any, error) {
	u, err := unit.Get(r.Context(), a.db)
	if errors.Is(err, store.ErrNotFound) {
		return setupStatus{Done: false, TokenRequired: a.setupToken != ""}, nil
	}
	if err != nil {
		return nil, err
	}
	return setupStatus{Done: true, UnitName: u.Name, ReadOnly: a.readOnly}, nil
}

func (a *App) runSetup(r *request) (any, error) {
	var in setup.Input
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if err := a.checkSetupToken(r, in.Token); err != nil {
		return nil, err
	}
	u, err := setup.Run(r.Context(), a.db, in, a.policy.Hash, r.client)
	if err != nil {
		return nil, err
	}
	return setupStatus{Done: true, UnitName: u.Name}, nil
}

// checkSetupToken refuses first-run setup on a LAN server without the
// token it printed; once setup is done, setup.Run refuses anyway.
func (a *App) checkSetupToken(r *request, token string) error {
	done, err := setup.Done(r.Context(), a.db)
	if err != nil || done {
		return err
	}
	return setup.CheckToken(a.setupToken, token)
}

// sessionView is what the UI learns about the signed-in user.
type sessionView struct {
	Token     string       `json:"token,omitempty"`
	User      account.User `json:"user"`
	RoleLabel string       `json:"role_label"`
	UnitName  string       `json:"unit_name"`
	// IdleSeconds is how long the session lasts without a request, so the
	// page can keep it alive while its user types and warn before it ends.
	IdleSeconds int `json:"idle_seconds"`
}

func (a *App) view(r *request, u account.User, token string) (sessionView, error) {
	un, err := unit.Get(r.Context(), a.db)
	if err != nil {
		return sessionView{}, err
	}
	return sessionView{Token: token, User: u, RoleLabel: u.Role.Label(), UnitName: un.Name,
		IdleSeconds: int(a.policy.SessionIdle.Seconds())}, nil
}

func (a *App) login(r *request) (any, error) {
	if !a.logins.allow(r.client) {
		return nil, apperr.New(apperr.CodeTooMany, "登录尝试过于频繁，请一分钟后再试")
	}
	var cr account.Credentials
	if err := decode(r, &cr); err != nil {
		return nil, err
	}
	s, err := a.accounts.Login(r.Context(), cr, r.client)
	if err != nil {
		return nil, err
	}
	return a.view(r, s.User, s.Token)
}

func (a *App) currentSession(r *request) (any, error) {
	return a.view(r, r.user, "")
}

func (a *App) logout(r *request) (any, error) {
	return nil, a.accounts.Logout(r.Context(), r.user, r.token, r.client)
}

func (a *App) getUnit(r *request) (any, error) {
	return unit.Get(r.Context(), a.db)
}
