package setup_test

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huicai/internal/schema"
	"huicai/internal/setup"
	"huicai/internal/store"
	"huicai/internal/vault"
)

// write makes the file name (with its folders) under dir.
func write(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// firstStart does what a start does on a folder: load (or make) the key
// and open the migrated database.
func firstStart(t *testing.T, dir string) {
	t.Helper()
	if err := vault.Load(ctx, dir, filepath.Join(dir, store.FileName)); err != nil {
		t.Fatal(err)
	}
	migrations, err := schema.All()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, dir, migrations)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// snapshot lists every file under dir with its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(path)
			files[path] = string(data)
		}
		return err
	})
	return files
}

func TestCheckFresh(t *testing.T) {
	cases := []struct {
		name    string
		prepare func(t *testing.T, dir string)
		refused setup.Leftovers
	}{
		{"new folder", func(*testing.T, string) {}, setup.Leftovers{}},
		{"empty folders from an earlier start", func(t *testing.T, dir string) {
			for _, d := range []string{"backups", "files/ab", "packages", "keys"} {
				os.MkdirAll(filepath.Join(dir, d), 0o700)
			}
		}, setup.Leftovers{}},
		{"restarted before setup", firstStart, setup.Leftovers{}},
		{"restarted before setup, with a backup of the empty installation", func(t *testing.T, dir string) {
			firstStart(t, dir)
			write(t, dir, "backups/huicai-backup-20260101.zip", []byte("PK"))
		}, setup.Leftovers{}},
		{"database emptied, key left", func(t *testing.T, dir string) {
			firstStart(t, dir)
			os.Remove(filepath.Join(dir, store.FileName+"-wal"))
			os.Remove(filepath.Join(dir, store.FileName+"-shm"))
			os.Truncate(filepath.Join(dir, store.FileName), 0)
		}, setup.Leftovers{Key: true}},
		{"database deleted, key left", func(t *testing.T, dir string) {
			firstStart(t, dir)
			os.Remove(filepath.Join(dir, store.FileName))
		}, setup.Leftovers{Key: true}},
		{"only a damaged key file", func(t *testing.T, dir string) { write(t, dir, "keys/data.key", []byte("junk")) },
			setup.Leftovers{Key: true}},
		{"database and key gone, backups left", func(t *testing.T, dir string) {
			write(t, dir, "huicai.db", nil)
			write(t, dir, "backups/huicai-manual-20260101-120000.zip", []byte("PK"))
		}, setup.Leftovers{Backups: true}},
		{"stored files left", func(t *testing.T, dir string) { write(t, dir, "files/ab/abcdef", []byte("%PDF-")) },
			setup.Leftovers{Files: true}},
		{"packages left", func(t *testing.T, dir string) { write(t, dir, "packages/HC20260101-01.zip", []byte("PK")) },
			setup.Leftovers{Packages: true}},
		{"everything left", func(t *testing.T, dir string) {
			for _, name := range []string{"keys/data.key", "backups/b.zip", "files/ab/abcdef", "packages/p.zip"} {
				write(t, dir, name, []byte("x"))
			}
		}, setup.Leftovers{Key: true, Backups: true, Files: true, Packages: true}},
		{"not a database: left to the normal open", func(t *testing.T, dir string) {
			write(t, dir, "huicai.db", []byte("not sqlite"))
			write(t, dir, "keys/data.key", []byte("x"))
		}, setup.Leftovers{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			c.prepare(t, dir)
			before := snapshot(t, dir)
			err := setup.CheckFresh(ctx, dir)
			var nf *setup.NotFreshError
			if !c.refused.Any() {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.As(err, &nf) || nf.Left != c.refused {
				t.Fatalf("got %v, want leftovers %+v", err, c.refused)
			}
			for _, want := range []string{dir, "不是新安装", "huicai restore", "huicai key restore", "程序未作任何修改"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message lacks %q: %s", want, err)
				}
			}
			if after := snapshot(t, dir); !maps.Equal(after, before) {
				t.Errorf("the check changed the folder: %d files before, %d after", len(before), len(after))
			}
		})
	}
}

func TestNotFreshMessageNamesWhatWasLeft(t *testing.T) {
	msg := (&setup.NotFreshError{DataDir: "/srv/huicai", Left: setup.Leftovers{Key: true, Packages: true}}).Error()
	if !strings.Contains(msg, "数据密钥（keys/data.key）、提交包（packages/）") || strings.Contains(msg, "备份（backups/）") {
		t.Errorf("message: %s", msg)
	}
}
