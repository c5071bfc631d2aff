package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huicai/internal/store"
	"huicai/internal/testdb"
)

// damageTable overwrites the type byte of table's root page in the
// database file of dir (no b-tree page starts with 0xff).
func damageTable(t *testing.T, dir, table string) {
	t.Helper()
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy()})
	if err != nil {
		t.Fatal(err)
	}
	var root, pageSize int64
	err = a.db.QueryRow(`SELECT rootpage FROM sqlite_master WHERE name = ?`, table).Scan(&root)
	if err == nil {
		err = a.db.QueryRow(`PRAGMA page_size`).Scan(&pageSize)
	}
	a.Close()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, store.FileName), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte{0xff}, (root-1)*pageSize); err != nil {
		t.Fatal(err)
	}
}

// TestADamagedDatabaseIsFoundBeforeAnythingIsWritten: quick_check runs
// beside the login page now, not before it; a save sent meanwhile waits
// for it and is refused in read-only mode.
func TestADamagedDatabaseIsFoundBeforeAnythingIsWritten(t *testing.T) {
	dir := auditedInstallation(t)
	damageTable(t, dir, "departments")
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	h := a.API()
	login := call(t, h, "POST", "/api/session", "", `{"username":"leader","password":"`+testdb.Password+`"}`)
	token, _ := login.Body["token"].(string)
	if token == "" {
		t.Fatalf("signing in (allowed in read-only mode): %s", login.Raw)
	}
	r := call(t, h, "POST", "/api/departments", token, `{"name":"物理学院"}`)
	if r.Status != 503 || !strings.Contains(r.Raw, "数据库完整性检查未通过") {
		t.Fatalf("a save on a damaged database: %d %s", r.Status, r.Raw)
	}
	if s := call(t, h, "GET", "/api/setup", "", ""); !strings.Contains(s.Raw, "数据库完整性检查未通过") {
		t.Errorf("the first-run status does not say: %s", s.Raw)
	}
}
