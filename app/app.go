// Package app is the thin edge between the UI and the business areas in
// internal/: it resolves sessions, checks roles, calls the areas and maps
// their errors. It serves one http.Handler under /api, reached over HTTP by
// browsers (huicai serve) and in-process by the desktop window's Bridge.
package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"huicai/internal/account"
	"huicai/internal/audit"
	"huicai/internal/batch"
	"huicai/internal/files"
	"huicai/internal/job"
	"huicai/internal/schema"
	"huicai/internal/setup"
	"huicai/internal/sign"
	"huicai/internal/store"
	"huicai/internal/vault"
)

// Config is what the edge needs to open the application.
type Config struct {
	DataDir string
	Policy  account.Policy
	Log     *slog.Logger
}

// App is an opened application: its database and services.
type App struct {
	db       *store.DB
	accounts *account.Service
	files    *files.Store
	batches  *batch.Service
	jobs     *job.Runner
	logins   *limiter
	// anchor keeps the audit log's head outside the database.
	anchor *audit.Anchorer
	// registrations limits unauthenticated registrations per address.
	registrations *limiter
	// gate lets requests run together, and a restore alone.
	gate sync.RWMutex
	// sheets lets one 导出Excel run at a time, another waiting sheetWait.
	sheets    sheetSlot
	sheetWait time.Duration
	// stallLimit is how long a request waits for a client that stopped
	// sending or reading (see stall.go).
	stallLimit time.Duration
	// readOnly says why start-up checks failed; while set, nothing is written.
	readOnly string
	// checked is closed when the start-up's database check has ended;
	// stopCheck cuts it short when the program closes.
	checked   chan struct{}
	stopCheck context.CancelFunc
	dataDir   string
	policy    account.Policy
	log       *slog.Logger

	// imports are the roster sheets uploaded for 批量导入, awaiting import.
	imports importSheets

	// setupToken is what first-run setup asks for on a LAN server ("" in
	// the desktop window); see Serve.
	setupToken string
}

// Open opens the database in cfg.DataDir, migrating it to this binary's schema.
func Open(ctx context.Context, cfg Config) (*App, error) {
	db, err := OpenData(ctx, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	accounts, err := account.NewService(db, cfg.Policy)
	if err != nil {
		db.Close()
		return nil, err
	}
	accounts.SignedIn = func(ctx context.Context, tx *sql.Tx, u account.User, password string) error {
		if u.Role != account.RoleLeader {
			return nil
		}
		return sign.EnsureUnitKey(ctx, tx, password, sign.KDF(cfg.Policy.Hash))
	}
	accounts.PasswordChanged = func(ctx context.Context, tx *sql.Tx, u account.User, oldPassword, newPassword string) error {
		if u.Role != account.RoleLeader {
			return nil
		}
		return sign.Rewrap(ctx, tx, oldPassword, newPassword, sign.KDF(cfg.Policy.Hash))
	}
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	store := files.NewStore(cfg.DataDir)
	sealLegacyFiles(ctx, store, log)
	readOnly := auditProblem(audit.CheckSinceCheckpoint(ctx, db, cfg.DataDir))
	if readOnly != "" {
		log.Error("start-up check failed: read-only mode", "problem", readOnly)
	}
	checkCtx, stopCheck := context.WithCancel(context.Background())
	a := &App{readOnly: readOnly, stallLimit: stallLimit, sheets: make(sheetSlot, 1), sheetWait: sheetWait, checked: make(chan struct{}), stopCheck: stopCheck, db: db, accounts: accounts, files: store, dataDir: cfg.DataDir, policy: cfg.Policy, log: log,
		batches: &batch.Service{DB: db, Files: store, PackagesDir: filepath.Join(cfg.DataDir, "packages")},
		jobs:    job.NewRunner(func(err error) { log.Error("job failed", "err", err) }), logins: newLimiter(loginLimit),
		registrations: newLimiter(registrationLimit)}
	a.anchor = audit.NewAnchorer(cfg.DataDir)
	a.anchorCommits(db)
	go a.checkDatabase(checkCtx)
	return a, nil
}

// anchorCommits keeps the audit log's head anchored outside db after
// every commit.
func (a *App) anchorCommits(db *store.DB) {
	db.OnCommit(func(ctx context.Context) {
		if err := a.anchor.Update(context.WithoutCancel(ctx), db); err != nil {
			a.log.Error("audit: anchoring the log's head failed", "err", err)
		}
	})
}

// Close closes the database.
func (a *App) Close() error {
	a.stopCheck()
	<-a.checked
	return a.db.Close()
}

// OpenData loads the data key and opens the migrated database in dataDir,
// checking that the key belongs to it: what the program, its commands and
// the performance suite's seeder open a data folder with. A folder an
// earlier installation left with an empty database is refused before
// anything is written (see setup.CheckFresh).
func OpenData(ctx context.Context, dataDir string) (*store.DB, error) {
	migrations, err := schema.All()
	if err != nil {
		return nil, err
	}
	if err := store.EnsureWritableDir(dataDir); err != nil {
		return nil, err
	}
	if err := setup.CheckFresh(ctx, dataDir); err != nil {
		return nil, err
	}
	if err := vault.Load(ctx, dataDir, filepath.Join(dataDir, store.FileName)); err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, dataDir, migrations)
	if err != nil {
		return nil, err
	}
	if err := vault.Verify(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// startupProblem runs the start-up checks — SQLite's quick_check, the
// audit chain since its checkpoint and its anchored head — and says what
// is wrong, or "". The whole chain is walked daily (see AutoBackup).
func startupProblem(ctx context.Context, db *store.DB, dataDir string) string {
	if problem := databaseProblem(ctx, db); problem != "" {
		return problem
	}
	return auditProblem(audit.CheckSinceCheckpoint(ctx, db, dataDir))
}

// databaseProblem runs SQLite's quick_check and says what it found wrong,
// or "".
func databaseProblem(ctx context.Context, db *store.DB) string {
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&result); err != nil || result != "ok" {
		return "数据库完整性检查未通过（" + result + "）"
	}
	return ""
}

// checkDatabase runs quick_check once the program has started. It reads
// the whole database — about half a second at 50,000 talents — so it runs
// beside the login page instead of before it; every write waits for it
// (see wrap), so nothing is written to a database it finds damaged: that
// switches the program to read-only mode, as at start-up.
func (a *App) checkDatabase(ctx context.Context) {
	defer close(a.checked)
	problem := databaseProblem(ctx, a.db)
	if problem == "" || ctx.Err() != nil {
		return
	}
	a.log.Error("start-up check failed: read-only mode", "problem", problem)
	a.gate.Lock()
	if a.readOnly == "" {
		a.readOnly = problem
	}
	a.gate.Unlock()
}

// auditProblem says what err, from checking the audit log, found wrong,
// or "" for none.
func auditProblem(err error) string {
	if err != nil {
		var broken *audit.ErrBroken
		if errors.As(err, &broken) {
			return "审计日志" + describeBroken(broken)
		}
		return "审计日志无法校验"
	}
	return ""
}

// DescribeOpenError turns an error from Open into a sentence for the person
// who started the program.
func DescribeOpenError(dataDir string, err error) string {
	if nf := (*setup.NotFreshError)(nil); errors.As(err, &nf) {
		return nf.Error()
	}
	switch {
	case errors.Is(err, store.ErrNotDatabase):
		return fmt.Sprintf("数据文件夹 %s 中的 %s 不是惠才通数据库，程序未作任何修改。请确认 --data 指向正确的数据文件夹。\n（%v）", dataDir, store.FileName, err)
	case errors.Is(err, store.ErrNewerSchema):
		return fmt.Sprintf("数据文件夹 %s 中的数据库由更新版本的惠才通写入，本程序无法识别其结构。为保护数据，程序未作任何修改，请升级惠才通后再打开。\n（%v）", dataDir, err)
	case errors.Is(err, vault.ErrKeyMissing):
		return fmt.Sprintf("数据文件夹 %s 中的数据库已加密，但找不到数据密钥文件 %s。程序不会生成新密钥覆盖已加密的数据。请用单位负责人导出的恢复密钥恢复：huicai key restore 恢复密钥文件 --data %s", dataDir, vault.KeyPath(dataDir), dataDir)
	case errors.Is(err, vault.ErrBadKeyFile):
		return fmt.Sprintf("数据密钥文件 %s 已损坏或不属于当前 Windows 用户。请用恢复密钥恢复：huicai key restore 恢复密钥文件 --data %s", vault.KeyPath(dataDir), dataDir)
	case errors.Is(err, vault.ErrKeyMismatch):
		return fmt.Sprintf("数据密钥文件 %s 与数据库不匹配（可能来自其他安装）。请用本数据库对应的恢复密钥恢复：huicai key restore 恢复密钥文件 --data %s", vault.KeyPath(dataDir), dataDir)
	case errors.Is(err, store.ErrNotWritable):
		return fmt.Sprintf("数据文件夹 %s 无法写入，请检查文件夹权限或用 --data 指定其他文件夹。\n（%v）", dataDir, err)
	}
	return fmt.Sprintf("无法打开数据文件夹 %s：%v", dataDir, err)
}
