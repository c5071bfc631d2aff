package app

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huicai/internal/account"
	"huicai/internal/backup"
	"huicai/internal/schema"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/testdb"
	"huicai/internal/vault"
)

// personalNumbers are the ID numbers and mobiles the role fixture stores.
func personalNumbers() []string {
	return []string{
		testdb.ResidentID("19750601", 1, true), testdb.ResidentID("19750601", 2, true), // talents
		testdb.ResidentID("19850315", 1, true), testdb.ResidentID("19850315", 3, true), // commissioners
		"13700000001", "13900000001", "13800138000", "88364000", "88364001",
	}
}

func rawDatabase(t *testing.T, dir string) []byte {
	t.Helper()
	var all []byte
	for _, name := range []string{store.FileName, store.FileName + "-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func TestDatabaseFileRevealsNoPersonalNumbers(t *testing.T) {
	f := newRoleFixture(t)
	dir := f.a.dataDir
	r := call(t, f.h, "GET", "/api/talents", f.tokens[account.RoleLeader], "")
	if r.Status != 200 || !strings.Contains(r.Raw, "137****0001") {
		t.Fatalf("the app cannot read its own data: %s", r.Raw)
	}
	raw := rawDatabase(t, dir)
	for _, n := range personalNumbers() {
		if bytes.Contains(raw, []byte(n)) {
			t.Errorf("the database file contains %s in the clear", n)
		}
	}
	if !bytes.Contains(raw, []byte("enc:v1:")) {
		t.Error("no sealed values found: is the test looking at the right file?")
	}
}

func closedFixture(t *testing.T) string {
	t.Helper()
	f := newRoleFixture(t)
	dir := f.a.dataDir
	f.a.Close()
	return dir
}

func openErr(dir string) error {
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy()})
	if err == nil {
		a.Close()
	}
	return err
}

func TestKeyProblemsAreRefusedAndChangeNothing(t *testing.T) {
	dir := closedFixture(t)
	keyPath := vault.KeyPath(dir)
	good, _ := os.ReadFile(keyPath)
	dbBefore := rawDatabase(t, dir)

	os.Remove(keyPath)
	if err := openErr(dir); !errors.Is(err, vault.ErrKeyMissing) || !strings.Contains(DescribeOpenError(dir, err), "不会生成新密钥") {
		t.Errorf("missing key: %v", err)
	}
	if _, err := os.Stat(keyPath); err == nil {
		t.Error("a new key was created over encrypted data")
	}
	os.WriteFile(keyPath, []byte("huicai-data-key v1\nbm90IGEga2V5\n"), 0o600)
	if err := openErr(dir); !errors.Is(err, vault.ErrBadKeyFile) {
		t.Errorf("damaged key: %v", err)
	}
	other, _ := vault.NewKey()
	vault.SaveKey(dir, other)
	if err := openErr(dir); !errors.Is(err, vault.ErrKeyMismatch) {
		t.Errorf("another installation's key: %v", err)
	}
	if !bytes.Equal(dbBefore, rawDatabase(t, dir)) {
		t.Error("refused opens changed the database")
	}
	os.WriteFile(keyPath, good, 0o600)
	if err := openErr(dir); err != nil {
		t.Errorf("the right key: %v", err)
	}
}

func TestRecoveryKeyRestoresAccess(t *testing.T) {
	f := newRoleFixture(t)
	dir := f.a.dataDir
	r := call(t, f.h, "POST", "/api/keys/recovery", f.tokens[account.RoleLeader], `{"passphrase":"短口令","passphrase_confirm":"短口令"}`)
	if r.Status != 400 {
		t.Errorf("short passphrase: %d", r.Status)
	}
	r = call(t, f.h, "POST", "/api/keys/recovery", f.tokens[account.RoleLeader], `{"passphrase":"山东大学人才办2026年","passphrase_confirm":"山东大学人才办2026年"}`)
	content, _ := r.Body["content"].(string)
	if r.Status != 200 || content == "" {
		t.Fatalf("recovery copy: %s", r.Raw)
	}
	f.a.Close()
	recovery := filepath.Join(t.TempDir(), "recovery.json")
	os.WriteFile(recovery, []byte(content), 0o600)
	wrong, right := filepath.Join(t.TempDir(), "wrong"), filepath.Join(t.TempDir(), "right")
	os.WriteFile(wrong, []byte("这不是正确的恢复口令啊啊啊啊\n"), 0o600)
	os.WriteFile(right, []byte("山东大学人才办2026年\n"), 0o600)
	os.Remove(vault.KeyPath(dir))

	if code, _, errOut := runCLI("key", "restore", recovery, "--passphrase-file", wrong, "--data", dir); code == 0 || !strings.Contains(errOut, "恢复口令不正确") {
		t.Errorf("wrong passphrase: %d %s", code, errOut)
	}
	if _, err := os.Stat(vault.KeyPath(dir)); err == nil {
		t.Error("a wrong passphrase wrote a key")
	}
	if code, out, errOut := runCLI("key", "restore", recovery, "--passphrase-file", right, "--data", dir); code != 0 {
		t.Fatalf("restore: %s %s", out, errOut)
	}
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	tal, err := talent.ByID(context.Background(), a.db, f.t1)
	if err != nil || tal.IDNumber != testdb.ResidentID("19750601", 1, true) {
		t.Errorf("data after restore: %+v %v", tal, err)
	}
}

func TestPlainDataIsSealedInPlace(t *testing.T) {
	dir := t.TempDir()
	all, _ := schema.All()
	db, err := store.Open(context.Background(), dir, all[:14]) // the schema before encryption
	if err != nil {
		t.Fatal(err)
	}
	id, mobile := testdb.ResidentID("19700101", 5, true), "13912345678"
	for _, q := range []string{
		`INSERT INTO units(name, uscc, address, contact_person, contact_phone, created_at) VALUES ('山东大学', '12370000495570512F', '济南', '张三', '0531-88364000', '2026-01-01')`,
		`INSERT INTO departments(name, created_at) VALUES ('物理学院', '2026-01-01')`,
		`INSERT INTO users(role, username, name, mobile, password_hash, status, created_at, updated_at) VALUES ('talent', 'old', '王堃', '` + mobile + `', 'x', 'active', '2026-01-01', '2026-01-01')`,
		`INSERT INTO talents(user_id, name, gender, birth_date, nationality, id_type, id_number, mobile, email, department_id, category, title, title_date, created_at, updated_at)
			VALUES (1, '王堃', '男', '1970-01-01', '中国', '居民身份证', '` + id + `', '` + mobile + `', 'wang@sdu.edu.cn', 1, '泰山学者', '泰山学者特聘专家', '2018-01-01', '2026-01-01', '2026-01-01')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy()})
	if err != nil {
		t.Fatal(err)
	}
	tal, err := talent.ByID(context.Background(), a.db, 1)
	if err != nil || tal.IDNumber != id || tal.Mobile != mobile || tal.Email != "wang@sdu.edu.cn" {
		t.Errorf("migrated talent: %+v %v", tal, err)
	}
	a.Close()
	raw := rawDatabase(t, dir)
	for _, n := range []string{id, mobile, "wang@sdu.edu.cn", "88364000"} {
		if bytes.Contains(raw, []byte(n)) {
			t.Errorf("%s is still in the database file in the clear", n)
		}
	}
}

func TestBrokenAuditChainOpensReadOnly(t *testing.T) {
	f := newRoleFixture(t)
	dir := f.a.dataDir
	f.a.db.Exec(`DROP TRIGGER audit_log_no_update`)
	f.a.db.Exec(`UPDATE audit_log SET detail = '改过' WHERE id = 2`)
	f.a.Close()
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	h := a.API()
	r := call(t, h, "GET", "/api/setup", "", "")
	if !strings.Contains(r.Raw, "审计日志第 2 条记录") {
		t.Errorf("status does not say what is wrong: %s", r.Raw)
	}
	token := setUp2(t, h)
	before := testdb.Snapshot(t, a.db)
	if r := call(t, h, "POST", "/api/departments", token, `{"name":"新学院"}`); r.Status != 503 || !strings.Contains(r.Raw, "只读模式") {
		t.Errorf("a write in read-only mode: %d %s", r.Status, r.Raw)
	}
	if r := call(t, h, "GET", "/api/departments", token, ""); r.Status != 200 {
		t.Errorf("reading in read-only mode: %d", r.Status)
	}
	if testdb.Snapshot(t, a.db) != before {
		t.Error("read-only mode wrote data")
	}
}

func TestDailyBackup(t *testing.T) {
	f := newRoleFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.a.AutoBackup(ctx); close(done) }()
	var today []string
	for i := 0; i < 200 && len(today) == 0; i++ {
		time.Sleep(20 * time.Millisecond)
		today, _ = filepath.Glob(filepath.Join(f.a.backupsDir(), "huicai-backup-*.zip"))
	}
	cancel()
	<-done
	if len(today) != 1 {
		t.Fatalf("daily backups: %v", today)
	}
	if _, err := backup.Check(context.Background(), today[0]); err != nil {
		t.Errorf("daily backup does not check: %v", err)
	}
}

func TestStartupFailurePageRestoresTheKey(t *testing.T) {
	f := newRoleFixture(t)
	dir := f.a.dataDir
	r := call(t, f.h, "POST", "/api/keys/recovery", f.tokens[account.RoleLeader], `{"passphrase":"山东大学人才办2026年","passphrase_confirm":"山东大学人才办2026年"}`)
	recovery := filepath.Join(t.TempDir(), "恢复密钥.json")
	os.WriteFile(recovery, []byte(r.Body["content"].(string)), 0o600)
	f.a.Close()
	os.Remove(vault.KeyPath(dir))

	_, _, err := openApp(dir, testdb.Policy(), io.Discard)
	var oe *openError
	if !errors.As(err, &oe) || !keyProblem(oe.err) {
		t.Fatalf("open without the key: %v", err)
	}
	s := &startupFailure{dataDir: dir, message: oe.Error(), keyFix: true, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.API().ServeHTTP(w, r.WithContext(withNativeFiles(r.Context(), fakeDesktop{recovery})))
	})
	status := call(t, h, "GET", "/api/setup", "", "")
	if !strings.Contains(status.Raw, "找不到数据密钥文件") || status.Body["key_recovery"] != true {
		t.Fatalf("status: %s", status.Raw)
	}
	if r := call(t, h, "POST", "/api/startup/key-recovery", "", `{"passphrase":"这不是正确的恢复口令啊啊啊啊"}`); r.Status != 400 || r.errField("passphrase") != "恢复口令不正确" {
		t.Errorf("wrong passphrase: %d %s", r.Status, r.Raw)
	}
	if r := call(t, h, "POST", "/api/startup/key-recovery", "", `{"passphrase":"山东大学人才办2026年"}`); r.Status != 200 {
		t.Fatalf("recovery: %d %s", r.Status, r.Raw)
	}
	if err := openErr(dir); err != nil {
		t.Errorf("open after recovery: %v", err)
	}
}
