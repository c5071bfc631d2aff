package app

import (
	"context"
	"strings"

	"huicai/internal/account"
	"huicai/internal/card"
	"huicai/internal/files"
	"huicai/internal/flow"
	"huicai/internal/store"
	"huicai/internal/talent"
)

func (a *App) listApplications(r *request) (any, error) { return a.applicationsPage(r) }

// applicationsPage is the page of applications the request's filter
// selects, among those the user may see.
func (a *App) applicationsPage(r *request) (store.Page[card.Row], error) {
	q := r.URL.Query()
	f := card.Filter{Name: q.Get("name"), IDNumber: q.Get("id_number"), Sort: q.Get("sort"), Todo: q.Get("todo") == "1",
		From: q.Get("from"), To: q.Get("to"), Month: q.Get("month"), DepartmentID: int64(queryInt(r, "department_id")),
		CommissionerID: int64(queryInt(r, "commissioner_id")), Page: queryInt(r, "page"), PageSize: queryInt(r, "page_size")}
	if s := q.Get("state"); s != "" {
		f.States = strings.Split(s, ",")
	}
	return card.List(r.Context(), a.db, f.Scope(r.user))
}

// applicationDetail is everything the 查看, 补充材料 and 审核 pages show.
type applicationDetail struct {
	Application  card.Application  `json:"application"`
	Talent       talent.Talent     `json:"talent"`
	Attachments  []card.Attachment `json:"attachments"`
	History      []card.Event      `json:"history"`
	Flow         []flow.Step       `json:"flow"`
	RejectReason string            `json:"reject_reason"`
}

func (a *App) getApplication(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return a.applicationDetail(r, id)
}

func (a *App) applicationDetail(r *request, id int64) (applicationDetail, error) {
	ctx := r.Context()
	app, t, err := card.Visible(ctx, a.db, r.user, id)
	if err != nil {
		return applicationDetail{}, err
	}
	atts, err := card.Attachments(ctx, a.db, id)
	if err != nil {
		return applicationDetail{}, err
	}
	history, err := card.History(ctx, a.db, id)
	if err != nil {
		return applicationDetail{}, err
	}
	if r.user.Role != account.RoleTalent {
		t = t.Masked()
	}
	return applicationDetail{Application: app, Talent: t, Attachments: atts, History: history,
		Flow: card.Flow(app, history), RejectReason: card.RejectReason(app, history)}, nil
}

func (a *App) saveApplication(r *request) (any, error) {
	return a.changeMaterials(r, card.Save)
}

func (a *App) submitApplication(r *request) (any, error) {
	return a.changeMaterials(r, card.Submit)
}

type materialsChange func(ctx context.Context, db *store.DB, u account.User, id int64, d card.Draft, client string) (card.Application, error)

func (a *App) changeMaterials(r *request, change materialsChange) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var d card.Draft
	if err := decode(r, &d); err != nil {
		return nil, err
	}
	if _, err := change(r.Context(), a.db, r.user, id, d, r.client); err != nil {
		return nil, err
	}
	return a.applicationDetail(r, id)
}

func (a *App) reviewApplication(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var d card.Decision
	if err := decode(r, &d); err != nil {
		return nil, err
	}
	if _, err := card.Review(r.Context(), a.db, r.user, id, d, r.client); err != nil {
		return nil, err
	}
	return a.applicationDetail(r, id)
}

// uploadAttachment stores the request body as an attachment (browser).
func (a *App) uploadAttachment(r *request) (any, error) {
	return a.attach(r, r.URL.Query().Get("kind"), false)
}

type chooseRequest struct {
	Kind string `json:"kind"`
}

// chooseAttachment attaches a file picked in the native dialog (desktop).
func (a *App) chooseAttachment(r *request) (any, error) {
	var in chooseRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return a.attach(r, in.Kind, true)
}

type droppedRequest struct {
	Kind string `json:"kind"`
	Path string `json:"path"`
}

// dropAttachment attaches a file dropped onto the desktop window.
func (a *App) dropAttachment(r *request) (any, error) {
	var in droppedRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return a.attachWith(r, in.Kind, func() (files.File, error) { return a.receiveDropped(r, in.Path) })
}

func (a *App) attach(r *request, kind string, choose bool) (any, error) {
	return a.attachWith(r, kind, func() (files.File, error) { return a.receiveFile(r, choose, "选择"+card.KindLabels[kind]) })
}

func (a *App) attachWith(r *request, kind string, receive func() (files.File, error)) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	if _, _, err := card.Visible(r.Context(), a.db, r.user, id); err != nil {
		return nil, err
	}
	f, err := receive()
	if err != nil {
		return nil, err
	}
	return card.Attach(r.Context(), a.db, r.user, id, kind, f, r.client)
}

func attachmentIDs(r *request) (int64, int64, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, 0, err
	}
	aid, err := pathValueID(r.PathValue("aid"))
	return id, aid, err
}

func (a *App) deleteAttachment(r *request) (any, error) {
	id, aid, err := attachmentIDs(r)
	if err != nil {
		return nil, err
	}
	return nil, card.Detach(r.Context(), a.db, r.user, id, aid, r.client)
}

func (a *App) attachmentFile(r *request) (files.File, error) {
	id, aid, err := attachmentIDs(r)
	if err != nil {
		return files.File{}, err
	}
	return card.AttachmentFile(r.Context(), a.db, r.user, id, aid)
}

func (a *App) attachmentContent(r *request) (any, error) {
	f, err := a.attachmentFile(r)
	if err != nil {
		return nil, err
	}
	return fileBody{file: f, store: a.files}, nil
}

func (a *App) openAttachment(r *request) (any, error) {
	f, err := a.attachmentFile(r)
	if err != nil {
		return nil, err
	}
	return nil, a.openWithSystem(r, f)
}
