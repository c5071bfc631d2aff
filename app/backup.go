package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/backup"
	"huicai/internal/clock"
	"huicai/internal/job"
	"huicai/internal/schema"
	"huicai/internal/vault"
)

// keepDailyBackups is how many automatic daily backups are kept.
const keepDailyBackups = 7

func (a *App) backupsDir() string { return filepath.Join(a.dataDir, "backups") }

// writeBackup backs the installation up into the backups folder.
func (a *App) writeBackup(ctx context.Context, name string) (string, error) {
	if err := os.MkdirAll(a.backupsDir(), 0o700); err != nil {
		return "", err
	}
	dest := filepath.Join(a.backupsDir(), name)
	_, err := backup.Write(ctx, a.db, a.dataDir, dest, backup.Options{KeyCheck: vault.Check(), Schema: schema.Version()})
	return dest, err
}

// AutoBackup walks the whole audit chain once a day (start-up walks only
// the rows since the checkpoint), makes the day's backup if there is none
// yet, keeps the last seven, and checks again every hour until ctx ends.
func (a *App) AutoBackup(ctx context.Context) {
	checked := ""
	for {
		today := clock.Now().Format("20060102")
		if today != checked {
			a.dailyAuditCheck(ctx)
			checked = today
		}
		name := "huicai-backup-" + today + ".zip"
		if _, err := os.Stat(filepath.Join(a.backupsDir(), name)); errors.Is(err, os.ErrNotExist) {
			a.dailyBackup(ctx, name)
		}
		// The day's walk and backup are over: give what they used back to
		// the system instead of holding it for the rest of an idle day.
		debug.FreeOSMemory()
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}

// dailyAuditCheck walks the whole audit chain and checks its anchored
// head; a log found broken is logged and switches the program to
// read-only mode, as at start-up, before the day's backup could copy it.
func (a *App) dailyAuditCheck(ctx context.Context) {
	<-a.checked
	a.gate.RLock()
	if a.readOnly != "" {
		a.gate.RUnlock()
		return
	}
	n, err := audit.CheckFull(ctx, a.db, a.dataDir)
	a.gate.RUnlock()
	if ctx.Err() != nil {
		return
	}
	problem := auditProblem(err)
	if problem == "" {
		a.log.Info("daily audit check passed", "rows", n)
		return
	}
	a.log.Error("daily audit check failed: read-only mode", "problem", problem, "err", err)
	a.gate.Lock()
	if a.readOnly == "" {
		a.readOnly = problem
	}
	a.gate.Unlock()
}

// dailyBackup writes the day's backup unless start-up checks failed (a
// damaged database must not replace the good backups), and rotates.
func (a *App) dailyBackup(ctx context.Context, name string) {
	a.gate.RLock()
	defer a.gate.RUnlock()
	defer func() {
		if v := recover(); v != nil {
			a.log.Error("automatic backup panicked", "panic", v, "stack", string(debug.Stack()))
		}
	}()
	if a.readOnly != "" {
		return
	}
	path, err := a.writeBackup(ctx, name)
	if err != nil {
		a.log.Error("automatic backup failed", "err", err)
		return
	}
	a.log.Info("automatic backup written", "path", path)
	if err := backup.Rotate(a.backupsDir(), keepDailyBackups); err != nil {
		a.log.Error("rotating backups failed", "err", err)
	}
}

type backupFile struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
	At   string `json:"at"`
}

func (a *App) listBackups(r *request) (any, error) {
	entries, err := os.ReadDir(a.backupsDir())
	out := []backupFile{}
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || e.IsDir() || !strings.HasSuffix(e.Name(), ".zip") {
			continue
		}
		out = append(out, backupFile{Name: e.Name(), Size: info.Size(), At: info.ModTime().UTC().Format(time.RFC3339)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At > out[j].At })
	return out, err
}

// backupNow writes a backup as a job (备份).
func (a *App) backupNow(r *request) (any, error) {
	name := "huicai-manual-" + clock.Now().Format("20060102-150405") + ".zip"
	return a.jobs.Start(r.user.ID, func(ctx context.Context, progress job.Progress) (any, error) {
		progress(0, 1)
		a.gate.RLock()
		path, err := a.writeBackup(ctx, name)
		a.gate.RUnlock()
		if err != nil {
			return nil, err
		}
		progress(1, 1)
		return backupFile{Name: filepath.Base(path)}, nil
	}), nil
}

func (a *App) backupPath(r *request) (string, error) {
	name := r.PathValue("name")
	if name != filepath.Base(name) || !strings.HasSuffix(name, ".zip") {
		return "", apperr.NotFound("没有这个备份")
	}
	p := filepath.Join(a.backupsDir(), name)
	if _, err := os.Stat(p); err != nil {
		return "", apperr.NotFound("没有这个备份")
	}
	return p, nil
}

func (a *App) downloadBackup(r *request) (any, error) {
	p, err := a.backupPath(r)
	if err != nil {
		return nil, err
	}
	return download{name: filepath.Base(p), typ: "application/zip", write: copyFile(p)}, nil
}

func (a *App) saveBackup(r *request) (any, error) {
	p, err := a.backupPath(r)
	if err != nil {
		return nil, err
	}
	return saveAs(r, "保存备份", filepath.Base(p), zipFilter, copyFile(p))
}

func runBackup(args []string, stdout, stderr io.Writer) error {
	fl := newFlags("backup", stderr)
	dataDir := fl.String("data", DefaultDataDir(), "")
	out := fl.String("out", "", "")
	if err := fl.Parse(args); err != nil || *out == "" {
		return errors.New("用法：huicai backup --out 备份文件.zip [--data 文件夹]")
	}
	db, err := OpenData(context.Background(), *dataDir)
	if err != nil {
		return errors.New(DescribeOpenError(*dataDir, err))
	}
	defer db.Close()
	m, err := backup.Write(context.Background(), db, *dataDir, *out, backup.Options{KeyCheck: vault.Check(), Schema: schema.Version()})
	if err != nil {
		return fmt.Errorf("备份失败，未留下不完整的文件：%w", err)
	}
	fmt.Fprintf(stdout, "备份完成并已校验：%s（%d 个文件）\n", *out, len(m.Entries))
	return nil
}

func runRestore(args []string, stdout, stderr io.Writer) error {
	fl := newFlags("restore", stderr)
	dataDir := fl.String("data", DefaultDataDir(), "")
	archive, err := parseWithTarget(fl, args, "用法：huicai restore 备份文件.zip [--data 文件夹]（请先关闭惠才通）")
	if err != nil {
		return err
	}
	key, err := vault.LoadKey(*dataDir)
	if err != nil {
		return errors.New(DescribeOpenError(*dataDir, err))
	}
	check, err := vault.CheckOf(key)
	if err != nil {
		return err
	}
	inst, err := claimInstance(*dataDir)
	if err != nil {
		return claimError(*dataDir, err)
	}
	defer inst.Close()
	inst.answering(knockWait)
	kept, err := backup.Restore(context.Background(), archive, *dataDir, check, schema.Version())
	var p *backup.Problem
	if errors.As(err, &p) {
		return errors.New(p.Msg + "。当前数据未作任何改动")
	}
	if err != nil {
		return err
	}
	if err := anchorRestored(*dataDir); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已从 %s 恢复。恢复前的数据保存在 %s\n", archive, kept)
	return nil
}

// anchorRestored anchors the head of the audit log a restore brought back.
func anchorRestored(dataDir string) error {
	db, err := OpenData(context.Background(), dataDir)
	if err != nil {
		return errors.New(DescribeOpenError(dataDir, err))
	}
	defer db.Close()
	return audit.NewAnchorer(dataDir).Reset(context.Background(), db)
}

// restoreFrom restores the installation from archive as a job: it checks the
// archive first, then waits for requests in flight, closes the database,
// swaps the data and opens it again. Everyone else must sign in again; the
// user who restored keeps their session to see the job finish.
func (a *App) restoreFrom(r *request, archive string, cleanup func()) (any, error) {
	if a.jobs.Busy() {
		cleanup()
		return nil, apperr.Conflict("有导出、提交或备份正在进行，请完成后再恢复")
	}
	if _, err := backup.Check(r.Context(), archive); err != nil {
		cleanup()
		return nil, restoreProblem(err)
	}
	u, token, client := r.user, r.token, r.client
	return a.jobs.Start(r.user.ID, func(ctx context.Context, progress job.Progress) (any, error) {
		defer cleanup()
		a.gate.Lock()
		defer a.gate.Unlock()
		a.db.Close()
		kept, err := backup.Restore(ctx, archive, a.dataDir, vault.Check(), schema.Version())
		fresh, openErr := OpenData(context.Background(), a.dataDir)
		if openErr != nil {
			return nil, openErr
		}
		if err == nil {
			if aerr := a.anchor.Reset(context.Background(), fresh); aerr != nil {
				a.log.Error("restore: anchoring the restored audit log failed", "err", aerr)
			}
		}
		*a.db = *fresh
		sealLegacyFiles(context.Background(), a.files, a.log)
		a.anchorCommits(a.db)
		a.readOnly = startupProblem(context.Background(), a.db, a.dataDir)
		if err := account.EndAllSessions(context.Background(), a.db); err != nil {
			return nil, err
		}
		if err := account.KeepSession(context.Background(), a.db, u, token, client); err != nil {
			return nil, err
		}
		if err != nil {
			return nil, restoreProblem(err)
		}
		a.log.Info("restored from backup", "archive", archive, "kept", kept)
		return restored{Kept: kept}, nil
	}), nil
}

type restored struct {
	Kept string `json:"kept"`
}

func restoreProblem(err error) error {
	var p *backup.Problem
	if errors.As(err, &p) {
		return apperr.Conflict(p.Msg + "。当前数据未作任何改动")
	}
	return err
}

func (a *App) restoreBackup(r *request) (any, error) {
	p, err := a.backupPath(r)
	if err != nil {
		return nil, err
	}
	return a.restoreFrom(r, p, func() {})
}

// restoreChosen restores from an archive picked in the native dialog (desktop).
func (a *App) restoreChosen(r *request) (any, error) {
	f, err := chooseInput(r, "选择要恢复的备份", zipFilter)
	if err != nil {
		return nil, err
	}
	f.Close()
	return a.restoreFrom(r, f.Name(), func() {})
}
