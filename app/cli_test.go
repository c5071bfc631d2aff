package app

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"huicai/internal/schema"
	"huicai/internal/sign"
	"huicai/internal/store"
	"huicai/internal/testdb"
)

func testAssets() fstest.MapFS {
	return fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>惠才通</title>")}}
}

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(args, testAssets(), &out, &errb)
	return code, out.String(), errb.String()
}

func TestVersionCommand(t *testing.T) {
	code, out, _ := runCLI("version")
	if code != 0 || !strings.Contains(out, "huicai ") || !strings.Contains(out, "commit ") ||
		!strings.Contains(out, "schema "+strconv.Itoa(schema.Version())) {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestServeRefusesPlainLAN(t *testing.T) {
	dir := t.TempDir()
	for _, listen := range []string{"0.0.0.0:18443", "192.168.1.10:8080", ":8080"} {
		code, _, errOut := runCLI("serve", "--listen", listen, "--data", dir)
		if code == 0 || !strings.Contains(errOut, "必须启用 TLS") {
			t.Errorf("listen %s: exit %d, stderr %q", listen, code, errOut)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Error("refused serve touched the data folder")
	}
}

func TestIsLoopback(t *testing.T) {
	for listen, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:8080": true, "[::1]:8080": true, "127.0.0.2:1": true,
		"0.0.0.0:8080": false, ":8080": false, "10.0.0.1:80": false, "garbage": false,
	} {
		if IsLoopback(listen) != want {
			t.Errorf("IsLoopback(%q) = %v", listen, !want)
		}
	}
}

func TestServeRefusesBadDataFolders(t *testing.T) {
	notWritable := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(notWritable, []byte("x"), 0o600)

	notSQLite := t.TempDir()
	junk := []byte("PK\x03\x04 a zip, not a database")
	os.WriteFile(filepath.Join(notSQLite, store.FileName), junk, 0o600)

	newer := t.TempDir()
	a, err := Open(context.Background(), Config{DataDir: newer, Policy: testdb.Policy()})
	if err != nil {
		t.Fatal(err)
	}
	a.db.Exec(`INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, 'from the future', '2030-01-01')`, schema.Version()+1)
	a.Close()
	newerBytes, _ := os.ReadFile(filepath.Join(newer, store.FileName))

	cases := []struct{ dir, want string }{
		{filepath.Join(notWritable, "data"), "无法写入"},
		{notSQLite, "不是惠才通数据库"},
		{newer, "更新版本的惠才通"},
	}
	for _, c := range cases {
		code, _, errOut := runCLI("serve", "--listen", "127.0.0.1:0", "--data", c.dir)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("data %s: exit %d, stderr %q, want %q", c.dir, code, errOut, c.want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(notSQLite, store.FileName)); !bytes.Equal(b, junk) {
		t.Error("non-database file changed")
	}
	if b, _ := os.ReadFile(filepath.Join(newer, store.FileName)); !bytes.Equal(b, newerBytes) {
		t.Error("newer database changed")
	}
}

func TestUnknownCommand(t *testing.T) {
	if code, _, errOut := runCLI("frobnicate"); code == 0 || !strings.Contains(errOut, "未知命令") {
		t.Errorf("exit %d, %q", code, errOut)
	}
}

func TestAuditVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy()})
	if err != nil {
		t.Fatal(err)
	}
	db := a.db
	testdb.Leader(t, db)
	testdb.Department(t, db, "化学学院")
	code, out, errOut := runCLI("audit", "verify", "--data", dir)
	if code != 0 || !strings.Contains(out, "审计日志校验通过：共 1 条记录") {
		t.Fatalf("intact chain: %d %q %q", code, out, errOut)
	}
	// Someone edits the log with a SQLite shell, past the triggers.
	db.Exec(`DROP TRIGGER audit_log_no_update`)
	db.Exec(`UPDATE audit_log SET object = '单位 别的大学' WHERE id = 1`)
	db.Close()
	code, _, errOut = runCLI("audit", "verify", "--data", dir)
	if code == 0 || !strings.Contains(errOut, "第 1 条记录的内容与其哈希不符") {
		t.Fatalf("tampered chain: %d %q", code, errOut)
	}
}

func TestVerifyAndProvinceCommands(t *testing.T) {
	f := newRoleFixture(t)
	f.approve(t)
	dir := t.TempDir()
	// Build a package through the API (see TestCardBatchOverTheAPI).
	l := f.tokens["leader"]
	r := call(t, f.h, "POST", "/api/batches", l, fmt.Sprintf(`{"kind":"card","item_ids":[%d],"contact_person":"张三","contact_phone":"0531-88364000"}`, f.app))
	base := fmt.Sprintf("/api/batches/%d", int64(r.Body["id"].(float64)))
	f.waitJob(t, call(t, f.h, "POST", base+"/export", l, ""))
	raw(f, "POST", base+"/scan", []byte("%PDF-1.4 stamped"))
	f.waitJob(t, call(t, f.h, "POST", base+"/submit", l, `{"password":"Leader@2026"}`))
	pkgPath, keyPath := filepath.Join(dir, "package.zip"), filepath.Join(dir, "unit.pem")
	os.WriteFile(pkgPath, []byte(raw(f, "GET", base+"/package/download", nil).Raw), 0o600)
	os.WriteFile(keyPath, []byte(raw(f, "GET", "/api/keys/unit/download", nil).Raw), 0o600)

	code, out, errOut := runCLI("verify", pkgPath, "--pubkey", keyPath)
	if code != 0 || !strings.Contains(out, "提交包校验通过") || !strings.Contains(out, "SM2/SM3 签名有效") {
		t.Fatalf("verify: %d %s %s", code, out, errOut)
	}
	opensslVerify(t, pkgPath, keyPath)
	_, otherPub, _ := sign.GenerateKeyPair()
	os.WriteFile(filepath.Join(dir, "other.pem"), []byte(otherPub), 0o600)
	if code, _, errOut := runCLI("verify", "--pubkey", filepath.Join(dir, "other.pem"), pkgPath); code == 0 || !strings.Contains(errOut, "签名验证失败") {
		t.Errorf("verify with another key: %d %s", code, errOut)
	}
	if code, out, errOut := runCLI("province", "keygen", "--out", filepath.Join(dir, "prov")); code != 0 {
		t.Fatalf("keygen: %s %s", out, errOut)
	}
	receipt := filepath.Join(dir, "receipt.zip")
	code, out, errOut = runCLI("province", "receipt", pkgPath, "--key", filepath.Join(dir, "prov", "province.key"),
		"--reject", fmt.Sprintf("%d:称号证明材料不清晰", f.app), "-o", receipt)
	if code != 0 || !strings.Contains(out, "不通过（称号证明材料不清晰）") {
		t.Fatalf("receipt: %d %s %s", code, out, errOut)
	}
	if _, err := os.Stat(receipt); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI("province", "receipt", pkgPath, "--key", filepath.Join(dir, "prov", "province.key"), "--reject", "bad", "-o", receipt); code == 0 || !strings.Contains(errOut, "--reject") {
		t.Errorf("bad --reject: %d %s", code, errOut)
	}
}

// opensslVerify checks a package's manifest signature with stock OpenSSL 3,
// exactly as docs/package-format.md tells the province to.
func opensslVerify(t *testing.T, pkgPath, keyPath string) {
	t.Helper()
	zr, err := zip.OpenReader(pkgPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	dir := t.TempDir()
	for _, f := range zr.File {
		if f.Name == "manifest.json" || f.Name == "manifest.sig" {
			rc, _ := f.Open()
			data, _ := io.ReadAll(rc)
			rc.Close()
			os.WriteFile(filepath.Join(dir, f.Name), data, 0o600)
		}
	}
	out, err := exec.Command("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", keyPath, "-rawin", "-digest", "sm3",
		"-pkeyopt", "distid:1234567812345678", "-in", filepath.Join(dir, "manifest.json"),
		"-sigfile", filepath.Join(dir, "manifest.sig")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Signature Verified Successfully") {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
}

func TestBackupAndRestoreCommands(t *testing.T) {
	f := newRoleFixture(t)
	dir := f.a.dataDir
	f.a.Close()
	archive := filepath.Join(t.TempDir(), "backup.zip")
	if code, out, errOut := runCLI("backup", "--out", archive, "--data", dir); code != 0 || !strings.Contains(out, "备份完成并已校验") {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	os.WriteFile(archive+".bad", []byte("PK\x03\x04 truncated"), 0o600)
	if code, _, errOut := runCLI("restore", archive+".bad", "--data", dir); code == 0 || !strings.Contains(errOut, "当前数据未作任何改动") {
		t.Errorf("restore a damaged archive: %d %s", code, errOut)
	}
	if code, out, errOut := runCLI("restore", archive, "--data", dir); code != 0 || !strings.Contains(out, "恢复前的数据保存在") {
		t.Fatalf("restore: %d %s %s", code, out, errOut)
	}
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy()})
	if err != nil {
		t.Fatalf("open after restore: %v", err)
	}
	a.Close()
}
