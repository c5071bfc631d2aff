package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"

	"huicai/internal/apperr"
	"huicai/internal/setup"
	"huicai/internal/store"
	"huicai/internal/vault"
)

// startupFailure is the desktop window's API when the data folder cannot be
// opened: instead of vanishing (a Windows program has no console to print
// to), the window shows what is wrong and, when the data key is missing or
// damaged, lets the leader restore it from the recovery copy.
type startupFailure struct {
	dataDir string
	message string
	keyFix  bool
	// notFresh: the folder is an earlier installation's with an emptied
	// database, so the first-run page shows the message instead of the form.
	notFresh bool
	log      *slog.Logger
}

// newStartupFailure describes an error from opening dataDir for the page.
func newStartupFailure(dataDir string, oe *openError, log *slog.Logger) *startupFailure {
	var nf *setup.NotFreshError
	return &startupFailure{dataDir: dataDir, message: oe.Error(), keyFix: keyProblem(oe.err),
		notFresh: errors.As(oe.err, &nf), log: log}
}

type startupStatus struct {
	Done         bool   `json:"done"`
	StartupError string `json:"startup_error"`
	KeyRecovery  bool   `json:"key_recovery"`
	// SetupRefused says why first-run setup cannot run in this data folder.
	SetupRefused string `json:"setup_refused,omitempty"`
}

// status is what GET /api/setup answers.
func (s *startupFailure) status() startupStatus {
	if s.notFresh {
		return startupStatus{SetupRefused: s.message}
	}
	return startupStatus{Done: true, StartupError: s.message, KeyRecovery: s.keyFix}
}

type keyRecoveryRequest struct {
	Passphrase string `json:"passphrase"`
}

type keyRecovered struct {
	Message string `json:"message"`
}

// API answers only what the failure page needs.
func (s *startupFailure) API() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/setup", func(w http.ResponseWriter, r *http.Request) {
		s.log.Info("startup failure page shown", "key_recovery", s.keyFix, "setup_refused", s.notFresh)
		writeJSON(w, http.StatusOK, s.status())
	})
	mux.HandleFunc("POST /api/setup", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusConflict, errorBody{apperr.Conflict(s.message)})
	})
	mux.HandleFunc("POST /api/startup/key-recovery", func(w http.ResponseWriter, r *http.Request) {
		out, err := s.recoverKey(&request{Request: r})
		if err != nil {
			e, ok := apperr.As(err)
			if !ok {
				s.log.Error("startup: key recovery", "err", err)
				e = apperr.Internal()
			}
			writeJSON(w, statusFor(e), errorBody{e})
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusServiceUnavailable, errorBody{apperr.New(apperr.CodeReadOnly, s.message)})
	})
	return mux
}

// recoverKey reads the recovery copy picked in the native dialog, opens it
// with the passphrase and writes the data key back, after checking it
// belongs to the database.
func (s *startupFailure) recoverKey(r *request) (any, error) {
	if !s.keyFix {
		return nil, apperr.Conflict("当前的问题不能用恢复密钥解决")
	}
	var in keyRecoveryRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	f, err := chooseInput(r, "选择恢复密钥文件", fileFilter{"恢复密钥（JSON）", "*.json"})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return nil, err
	}
	key, err := vault.ImportRecovery(data, in.Passphrase)
	if errors.Is(err, vault.ErrWrongPassphrase) {
		return nil, apperr.InvalidField("passphrase", "恢复口令不正确")
	}
	if err != nil {
		return nil, apperr.InvalidField("file", "所选文件不是惠才通恢复密钥")
	}
	err = vault.RestoreKey(context.Background(), s.dataDir, filepath.Join(s.dataDir, store.FileName), key)
	if errors.Is(err, vault.ErrKeyMismatch) {
		return nil, apperr.InvalidField("file", "该恢复密钥不属于本机的数据库")
	}
	if err != nil {
		return nil, err
	}
	s.log.Info("startup: data key restored from the recovery copy")
	return keyRecovered{Message: "数据密钥已恢复。请关闭并重新打开惠才通。"}, nil
}

// keyProblem reports whether err is one the recovery copy of the key fixes.
func keyProblem(err error) bool {
	return errors.Is(err, vault.ErrKeyMissing) || errors.Is(err, vault.ErrBadKeyFile) || errors.Is(err, vault.ErrKeyMismatch)
}
