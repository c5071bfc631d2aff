package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/clock"
	"huicai/internal/store"
)

// maxJSONBody caps a JSON request body; maxRequestBody caps any request
// (an upload is at most 20 MB).
const (
	maxJSONBody    = 1 << 20
	maxRequestBody = 21 << 20
)

// request is one API call as the handlers see it.
type request struct {
	*http.Request
	user   account.User
	token  string
	client string
}

// handlerFunc answers one API call with a value to send as JSON.
type handlerFunc func(r *request) (any, error)

// route is one API endpoint. A nil roles list makes it public; otherwise
// only a signed-in user with one of the roles may call it.
type route struct {
	pattern string
	roles   []account.Role
	handle  handlerFunc
}

var (
	public  []account.Role
	anyRole = []account.Role{account.RoleLeader, account.RoleCommissioner, account.RoleTalent}
	leader  = []account.Role{account.RoleLeader}
	// leaderOrCommissioner: the unit's own people (not talents).
	leaderOrCommissioner = []account.Role{account.RoleLeader, account.RoleCommissioner}
	talents              = []account.Role{account.RoleTalent}

	commissioners = []account.Role{account.RoleCommissioner}
)

// routes lists every API endpoint with the roles allowed to call it.
func (a *App) routes() []route {
	return append([]route{
		{"GET /api/version", public, a.version},
		{"GET /api/setup", public, a.setupStatus},
		{"POST /api/setup", public, a.runSetup},
		{"POST /api/session", public, a.login},
		{"GET /api/session", anyRole, a.currentSession},
		{"DELETE /api/session", anyRole, a.logout},
		{"GET /api/unit", leader, a.getUnit},
		{"POST /api/password", anyRole, a.changePassword},

		{"GET /api/registration/options", public, a.registrationOptions},
		{"POST /api/registration/talent", public, a.registerTalent},
		{"POST /api/registration/staff", public, a.registerStaff},

		{"GET /api/staff", leader, a.listStaff},
		{"GET /api/staff/{id}", leader, a.getStaff},
		{"POST /api/staff/{id}/reveal", leader, a.revealStaff},
		{"POST /api/staff/{id}/decision", leader, a.decideStaff},
		{"POST /api/staff/{id}/password-reset", leader, a.resetStaffPassword},
		{"GET /api/staff/{id}/talents", leader, a.staffTalents},
		{"POST /api/staff/{id}/talents", leader, a.bindTalents},

		{"GET /api/talents", leaderOrCommissioner, a.listTalents},
		{"GET /api/talents/{id}", leaderOrCommissioner, a.getTalent},
		{"POST /api/talents/{id}/reveal", leaderOrCommissioner, a.revealTalent},
		{"POST /api/talents/{id}/account", leader, a.openTalentAccount},
		{"DELETE /api/talents/{id}/binding", leader, a.unbindTalent},
		{"GET /api/my/talent", talents, a.myTalent},
		{"PUT /api/my/talent", talents, a.updateMyTalent},

		{"GET /api/departments", anyRole, a.listDepartments},
		{"POST /api/departments", leader, a.createDepartment},
		{"PUT /api/departments/{id}", leader, a.renameDepartment},
		{"POST /api/departments/{id}/active", leader, a.setDepartmentActive},
		{"DELETE /api/departments/{id}", leader, a.deleteDepartment},
		{"GET /api/talent-options", leader, a.listOptions},
		{"POST /api/talent-options", leader, a.createOption},
		{"PUT /api/talent-options/{id}", leader, a.renameOption},
		{"POST /api/talent-options/{id}/active", leader, a.setOptionActive},
		{"GET /api/audit", leader, a.listAudit},
		{"GET /api/audit/export/download", leader, a.oneSheetAtATime(a.downloadAudit)},
		{"POST /api/audit/export/save", leader, a.oneSheetAtATime(a.saveAudit)},

		{"GET /api/home", anyRole, a.home},
		{"GET /api/home/charts", leader, a.homeCharts},
		{"GET /api/applications", anyRole, a.listApplications},
		{"GET /api/applications/{id}", anyRole, a.getApplication},
		{"PUT /api/applications/{id}", commissioners, a.saveApplication},
		{"POST /api/applications/{id}/submit", commissioners, a.submitApplication},
		{"POST /api/applications/{id}/review", leader, a.reviewApplication},
		{"POST /api/applications/{id}/attachments", commissioners, a.uploadAttachment},
		{"POST /api/applications/{id}/attachments/choose", commissioners, a.chooseAttachment},
		{"POST /api/applications/{id}/attachments/dropped", commissioners, a.dropAttachment},
		{"DELETE /api/applications/{id}/attachments/{aid}", commissioners, a.deleteAttachment},
		{"GET /api/applications/{id}/attachments/{aid}/content", anyRole, a.attachmentContent},
		{"POST /api/applications/{id}/attachments/{aid}/open", anyRole, a.openAttachment},
		{"POST /api/applications/{id}/renew", commissioners, a.renewApplication},
		{"POST /api/talents/{id}/renew-card", commissioners, a.renewCard},

		{"GET /api/batches", leader, a.listBatches},
		{"POST /api/batches", leader, a.createBatch},
		{"GET /api/batches/{id}", leader, a.getBatch},
		{"PUT /api/batches/{id}/contact", leader, a.updateBatchContact},
		{"POST /api/batches/{id}/cancel", leader, a.cancelBatch},
		{"POST /api/batches/{id}/export", leader, a.exportBatch},
		{"GET /api/batches/{id}/exports/download", leader, a.downloadExports},
		{"POST /api/batches/{id}/exports/save", leader, a.saveExports},
		{"GET /api/batches/{id}/exports/{file}/content", leader, a.exportContent},
		{"POST /api/batches/{id}/exports/{file}/open", leader, a.openExport},
		{"GET /api/batches/{id}/exports/{file}/download", leader, a.downloadExport},
		{"POST /api/batches/{id}/exports/{file}/save", leader, a.saveExport},
		{"POST /api/batches/{id}/scan", leader, a.uploadBatchScan},
		{"POST /api/batches/{id}/scan/choose", leader, a.chooseBatchScan},
		{"GET /api/batches/{id}/scan/content", leader, a.batchScanContent},
		{"POST /api/batches/{id}/scan/open", leader, a.openBatchScan},
		{"POST /api/batches/{id}/submit", leader, a.submitBatch},
		{"GET /api/batches/{id}/package/download", leader, a.downloadPackage},
		{"POST /api/batches/{id}/package/save", leader, a.savePackage},
		{"GET /api/jobs/{id}", leader, a.getJob},
		{"POST /api/jobs/{id}/cancel", leader, a.cancelJob},
		{"GET /api/keys", leader, a.keys},
		{"GET /api/keys/unit/download", leader, a.downloadUnitKey},
		{"POST /api/keys/unit/save", leader, a.saveUnitKey},
		{"PUT /api/keys/province", leader, a.setProvinceKey},
		{"POST /api/keys/province/choose", leader, a.chooseProvinceKey},
		{"POST /api/keys/recovery", leader, a.exportRecoveryKey},
		{"POST /api/keys/recovery/save", leader, a.saveRecoveryKey},
		{"GET /api/backups", leader, a.listBackups},
		{"POST /api/backups", leader, a.backupNow},
		{"GET /api/backups/{name}/download", leader, a.downloadBackup},
		{"POST /api/backups/{name}/save", leader, a.saveBackup},
		{"POST /api/backups/{name}/restore", leader, a.restoreBackup},
		{"POST /api/restore/choose", leader, a.restoreChosen},
		{"POST /api/receipts", leader, a.uploadReceipt},
		{"POST /api/receipts/choose", leader, a.chooseReceipt},

		{"GET /api/change-types", leaderOrCommissioner, a.changeTypes},
		{"GET /api/card-holders", leaderOrCommissioner, a.cardHolders},
		{"POST /api/cards", leader, a.recordCard},
		{"GET /api/changes", leaderOrCommissioner, a.listChanges},
		{"POST /api/changes", commissioners, a.applyChange},
		{"GET /api/changes/{id}", leaderOrCommissioner, a.getChange},
		{"POST /api/changes/{id}/decision", leaderOrCommissioner, a.decideChange},
		{"PUT /api/changes/{id}", commissioners, a.resubmitChange},
	}, append(a.listExportRoutes(), a.importRoutes()...)...)
}

// API returns the handler for everything under /api.
func (a *App) API() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range a.routes() {
		mux.Handle(rt.pattern, a.wrap(rt))
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorBody{apperr.NotFound("没有这个接口：" + r.Method + " " + r.URL.Path)})
	})
	return a.logged(mux)
}

func (a *App) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
		if hr.Method != http.MethodGet {
			<-a.checked // nothing is written before the start-up check has passed
		}
		a.gate.RLock()
		defer a.gate.RUnlock()
		paceReads(hr, w, a.stallLimit)
		r := &request{Request: hr, client: clientAddress(hr)}
		if a.readOnly != "" && hr.Method != http.MethodGet && !readOnlyAllowed[rt.pattern] {
			a.fail(w, r, apperr.New(apperr.CodeReadOnly, "启动检查发现问题："+a.readOnly+"。为保护数据，系统处于只读模式，不能保存任何修改；请单位负责人联系技术支持，从备份恢复。"))
			return
		}
		if rt.roles != nil {
			r.token = bearerToken(hr)
			u, err := a.accounts.Authenticate(hr.Context(), r.token)
			if err != nil {
				a.fail(w, r, err)
				return
			}
			if !slices.Contains(rt.roles, u.Role) {
				a.fail(w, r, apperr.Forbidden())
				return
			}
			if u.MustChangePassword && !passwordChangeRoutes[rt.pattern] {
				a.fail(w, r, errMustChangePassword)
				return
			}
			r.user = u
		}
		out, err := rt.handle(r)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if d, ok := out.(download); ok {
			if err := d.writeTo(paceWrites(w, a.stallLimit)); err != nil {
				a.log.Error("api: download", "path", r.URL.Path, "err", err)
			}
			return
		}
		if fb, ok := out.(fileBody); ok {
			if err := fb.write(paceWrites(w, a.stallLimit)); err != nil {
				a.fail(w, r, err)
			}
			return
		}
		if out == nil {
			out = struct{}{}
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// readOnlyAllowed are the writing routes that still work in read-only mode:
// signing in and out, and restoring from a backup (the way out).
var readOnlyAllowed = map[string]bool{"POST /api/session": true, "DELETE /api/session": true,
	"POST /api/backups/{name}/restore": true, "POST /api/restore/choose": true, "POST /api/backups/{name}/save": true}

// passwordChangeRoutes are all a user whose password was reset may call
// before choosing a new one.
var passwordChangeRoutes = map[string]bool{
	"GET /api/session": true, "DELETE /api/session": true, "POST /api/password": true,
}

var errMustChangePassword = apperr.New(apperr.CodeForbidden, "密码已被重置，请先修改密码")

type errorBody struct {
	Error *apperr.Error `json:"error"`
}

var statusOf = map[apperr.Code]int{
	apperr.CodeValidation:      http.StatusBadRequest,
	apperr.CodeUnauthenticated: http.StatusUnauthorized,
	apperr.CodeSessionExpired:  http.StatusUnauthorized,
	account.CodeLoginFailed:    http.StatusUnauthorized,
	apperr.CodeForbidden:       http.StatusForbidden,
	apperr.CodeNotFound:        http.StatusNotFound,
	apperr.CodeConflict:        http.StatusConflict,
	apperr.CodeTooLarge:        http.StatusRequestEntityTooLarge,
	apperr.CodeTooMany:         http.StatusTooManyRequests,
	apperr.CodeReadOnly:        http.StatusServiceUnavailable,
	apperr.CodeCancelled:       http.StatusConflict,
	codeUnsupportedType:        http.StatusUnsupportedMediaType,
	apperr.CodeDiskFull:        http.StatusInsufficientStorage,
}

// fail writes err: user errors as they are, anything else logged in full
// and shown as a generic message.
func (a *App) fail(w http.ResponseWriter, r *request, err error) {
	e, ok := apperr.As(err)
	if !ok {
		a.log.Error("api: internal error", "method", r.Method, "path", r.URL.Path, "user", r.user.Username, "err", err)
		e = apperr.Internal()
		if store.DiskFull(err) {
			e = apperr.DiskFull()
		}
	}
	writeJSON(w, statusFor(e), errorBody{e})
}

// statusFor is the HTTP status of a user error.
func statusFor(e *apperr.Error) int {
	if status, known := statusOf[e.Code]; known {
		return status
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client went away: nothing left to tell it
}

// codeUnsupportedType refuses a request body that is not JSON.
const codeUnsupportedType apperr.Code = "unsupported_media_type"

var errNotJSON = apperr.New(codeUnsupportedType, "请求内容类型不正确：只接受 JSON（Content-Type: application/json）")

// isJSON reports whether a Content-Type header names JSON in UTF-8.
func isJSON(contentType string) bool {
	typ, params, err := mime.ParseMediaType(contentType)
	if err != nil || typ != "application/json" {
		return false
	}
	for k, v := range params {
		if k != "charset" || !strings.EqualFold(v, "utf-8") {
			return false
		}
	}
	return true
}

// errNotUTF8 refuses a body that is not valid UTF-8.
var errNotUTF8 = apperr.New(apperr.CodeValidation, "提交的内容含有无效的文字编码（不是 UTF-8），请检查后重新输入")

// decode reads a JSON body into v, refusing other content types (a plain
// form on another site can send text/plain, never application/json),
// oversized, malformed or invalid UTF-8 input.
func decode(r *request, v any) error {
	if !isJSON(r.Header.Get("Content-Type")) {
		return errNotJSON
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxJSONBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return apperr.New(apperr.CodeTooLarge, "提交的内容过大")
	}
	if err != nil {
		return apperr.New(apperr.CodeValidation, "请求格式不正确")
	}
	if !utf8.Valid(body) { // encoding/json would quietly turn it into U+FFFD
		return errNotUTF8
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apperr.New(apperr.CodeValidation, "请求格式不正确")
	}
	if _, err := dec.Token(); err != io.EOF {
		return apperr.New(apperr.CodeValidation, "请求格式不正确")
	}
	return nil
}

func bearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if t, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(t)
	}
	return ""
}

// clientAddress is the caller's IP in LAN mode, or what the desktop bridge set.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection's writer (see
// stall.go).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logged logs every API call: method, path, status and duration.
func (a *App) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := clock.Now()
		r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		a.log.Info("api call", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"client", clientAddress(r), "ms", clock.Now().Sub(start).Milliseconds())
	})
}
