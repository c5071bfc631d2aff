package setup

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"huicai/internal/store"
	"huicai/internal/vault"
)

// Leftovers is what an earlier installation left in a data folder.
type Leftovers struct {
	Key      bool // keys/data.key
	Backups  bool // backups/
	Files    bool // files/
	Packages bool // packages/
}

// Any reports whether anything was left.
func (l Leftovers) Any() bool { return l.Key || l.Backups || l.Files || l.Packages }

// Inspect lists what an earlier installation left in dataDir: its data key,
// and any file under backups/, files/ or packages/ (empty folders do not
// count). It changes nothing.
func Inspect(dataDir string) (Leftovers, error) {
	var l Leftovers
	var err error
	if l.Key, err = exists(vault.KeyPath(dataDir)); err != nil {
		return l, err
	}
	for _, f := range []struct {
		name string
		held *bool
	}{{"backups", &l.Backups}, {"files", &l.Files}, {"packages", &l.Packages}} {
		if *f.held, err = holdsFile(filepath.Join(dataDir, f.name)); err != nil {
			return l, err
		}
	}
	return l, nil
}

func exists(path string) (bool, error) {
	_, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

var errFound = errors.New("found")

// holdsFile reports whether anything but folders lies under dir.
func holdsFile(dir string) (bool, error) {
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return errFound
		}
		return nil
	})
	switch {
	case errors.Is(err, errFound):
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, err
}

// NotFreshError refuses first-run setup in a data folder an earlier
// installation used: its database is empty or gone, but its data key,
// backups, files or packages are still there. Setting up a new unit there
// would hand the earlier installation's key, and with it the earlier
// personal data, to whoever set it up.
type NotFreshError struct {
	DataDir string
	Left    Leftovers
}

// Error says what was left, why setup is refused, and how to restore.
func (e *NotFreshError) Error() string {
	var found []string
	for _, f := range []struct {
		held bool
		name string
	}{{e.Left.Key, "数据密钥（keys/data.key）"}, {e.Left.Backups, "备份（backups/）"},
		{e.Left.Files, "已保存的文件（files/）"}, {e.Left.Packages, "提交包（packages/）"}} {
		if f.held {
			found = append(found, f.name)
		}
	}
	return "数据文件夹 " + e.DataDir + " 中的数据库是空的或不存在，但文件夹中仍有以前的安装留下的" +
		strings.Join(found, "、") + "，因此这不是新安装。为保护原有数据，不能在这里重新进行初始设置，" +
		"也不会把原有的数据密钥交给新的安装；程序未作任何修改。" +
		"请关闭惠才通，从备份恢复：huicai restore 备份文件.zip --data " + e.DataDir +
		"；如果数据密钥也已丢失，请先用单位负责人导出的恢复密钥恢复：huicai key restore 恢复密钥文件 --data " + e.DataDir +
		"。如确实要全新安装，请另选一个空的数据文件夹（--data）。"
}

// CheckFresh refuses, with a *NotFreshError, a data folder whose database
// is empty or missing while an earlier installation's leftovers are there.
// It runs before the database is opened (and a data key made), and changes
// nothing; a database that holds anything is left to the normal checks.
func CheckFresh(ctx context.Context, dataDir string) error {
	empty, err := store.IsEmpty(ctx, dataDir)
	if err != nil || !empty {
		return err
	}
	left, err := Inspect(dataDir)
	if err != nil {
		return err
	}
	if left.Any() {
		return &NotFreshError{DataDir: dataDir, Left: left}
	}
	return nil
}
