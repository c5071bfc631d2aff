package backup

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"huicai/internal/clock"
)

// movable are the parts of a data folder a restore replaces.
var movable = []string{"huicai.db", "huicai.db-wal", "huicai.db-shm", "files", "packages"}

// Restore replaces the installation in dataDir with the one in archive,
// after checking the archive, its schema and that it was sealed with the
// current data key (keyCheck). The current data is kept in a folder
// before-restore-… inside dataDir, whose path is returned. The database
// must be closed. If anything fails, dataDir is left exactly as it was.
func Restore(ctx context.Context, archive, dataDir, keyCheck string, schema int) (string, error) {
	m, err := Check(ctx, archive)
	if err != nil {
		return "", err
	}
	if m.SchemaVersion > schema {
		return "", problem("该备份由更新版本的惠才通制作（数据库架构版本 %d，本程序支持到 %d），请升级后再恢复", m.SchemaVersion, schema)
	}
	if m.KeyCheck != keyCheck {
		return "", problem("该备份来自其他安装，当前数据密钥无法解密其中的个人信息。如确需恢复，请先用该备份所属安装的恢复密钥恢复数据密钥（huicai key restore）")
	}
	staging, err := os.MkdirTemp(dataDir, ".restore-*")
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(staging)
	if err := extract(ctx, archive, staging); err != nil {
		return "", err
	}
	if err := IntegrityCheck(ctx, filepath.Join(staging, databaseName)); err != nil {
		return "", problem("备份中的数据库未通过完整性检查")
	}
	keep := filepath.Join(dataDir, "before-restore-"+clock.Now().Format("20060102-150405"))
	if err := os.Mkdir(keep, 0o700); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	if err := swap(dataDir, staging, keep); err != nil {
		return "", err
	}
	return keep, nil
}

// swap moves the current parts into keep and the staged ones into place,
// undoing every move if one fails.
func swap(dataDir, staging, keep string) error {
	type move struct{ from, to string }
	var done []move
	undo := func(err error) error {
		for i := len(done) - 1; i >= 0; i-- {
			if rerr := os.Rename(done[i].to, done[i].from); rerr != nil {
				err = fmt.Errorf("%w; and putting %s back failed: %v", err, done[i].from, rerr)
			}
		}
		os.Remove(keep)
		return fmt.Errorf("backup: restore failed, current data left as it was: %w", err)
	}
	do := func(from, to string) error {
		if _, err := os.Lstat(from); errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err := os.Rename(from, to); err != nil {
			return err
		}
		done = append(done, move{from, to})
		return nil
	}
	for _, name := range movable {
		if err := do(filepath.Join(dataDir, name), filepath.Join(keep, name)); err != nil {
			return undo(err)
		}
	}
	for _, name := range movable {
		if err := do(filepath.Join(staging, name), filepath.Join(dataDir, name)); err != nil {
			return undo(err)
		}
	}
	return nil
}

func extract(ctx context.Context, archive, dir string) error {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if f.Name == manifestName {
			continue
		}
		target := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
			return err
		}
		if err := copyEntry(f, target); err != nil {
			return fmt.Errorf("backup: extract %s: %w", f.Name, err)
		}
	}
	return nil
}

func copyEntry(f *zip.File, target string) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, rc); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Rotate keeps the newest keep automatic backups in dir and removes the rest.
func Rotate(dir string, keep int) error {
	entries, err := filepath.Glob(filepath.Join(dir, "huicai-backup-*.zip"))
	if err != nil || len(entries) <= keep {
		return err
	}
	for _, old := range entries[:len(entries)-keep] { // names sort by date
		if err := os.Remove(old); err != nil {
			return err
		}
	}
	return nil
}
