package app

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/audit"
	"huicai/internal/store"
	"huicai/internal/testdb"
)

// auditedInstallation sets up a data folder whose log has a few rows, and
// closes it.
func auditedInstallation(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy()})
	if err != nil {
		t.Fatal(err)
	}
	testdb.Leader(t, a.db)
	for range 2 { // each sign-in is audited
		if _, err := a.accounts.Login(context.Background(), account.Credentials{Username: "leader", Password: testdb.Password}, "test"); err != nil {
			t.Fatal(err)
		}
	}
	a.Close()
	return dir
}

// behindTheAppsBack runs SQL on the database file directly, as someone with
// a SQLite shell would.
func behindTheAppsBack(t *testing.T, dir string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+dir+"/"+store.FileName)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func reopenReadOnlyReason(t *testing.T, dir string) string {
	t.Helper()
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	<-a.checked
	return a.readOnly
}

func TestDeletingTheNewestAuditRowsIsFound(t *testing.T) {
	dir := auditedInstallation(t)
	if code, out, errOut := runCLI("audit", "verify", "--data", dir); code != 0 {
		t.Fatalf("intact log: %d %q %q", code, out, errOut)
	}
	behindTheAppsBack(t, dir, `DROP TRIGGER audit_log_no_delete`,
		`DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)`)
	code, _, errOut := runCLI("audit", "verify", "--data", dir)
	if code == 0 || !strings.Contains(errOut, "最新的记录被删除") {
		t.Fatalf("truncated log passed: %d %q", code, errOut)
	}
	if why := reopenReadOnlyReason(t, dir); !strings.Contains(why, "审计日志最新的记录被删除") {
		t.Fatalf("start-up check: %q", why)
	}
}

func TestAReplacedHeadOrAMissingAnchorIsFound(t *testing.T) {
	dir := auditedInstallation(t)
	// The whole log rewritten into a consistent but different chain.
	behindTheAppsBack(t, dir, `DROP TRIGGER audit_log_no_delete`, `DROP TRIGGER audit_log_no_update`,
		`DELETE FROM audit_log WHERE id > 1`)
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy()})
	if err != nil {
		t.Fatal(err)
	}
	head, _ := audit.ReadAnchor(dir)
	a.Close()
	if why := reopenReadOnlyReason(t, dir); !strings.Contains(why, "最新的记录被删除") || head.ID < 3 {
		t.Fatalf("anchor %+v, start-up check %q", head, why)
	}
	os.Remove(audit.AnchorPath(dir))
	if why := reopenReadOnlyReason(t, dir); !strings.Contains(why, "audit.head）丢失") {
		t.Fatalf("missing anchor: %q", why)
	}
	os.WriteFile(audit.AnchorPath(dir), []byte("huicai-audit-head v1\nenc:v1:AAAA\n"), 0o600)
	if why := reopenReadOnlyReason(t, dir); !strings.Contains(why, "已损坏") {
		t.Fatalf("damaged anchor: %q", why)
	}
}

func TestALogFromBeforeAnchoringIsAnchoredOnce(t *testing.T) {
	dir := auditedInstallation(t)
	os.Remove(audit.AnchorPath(dir))
	behindTheAppsBack(t, dir, `DROP TRIGGER audit_anchored_no_delete`, `DELETE FROM audit_anchored`)
	if why := reopenReadOnlyReason(t, dir); why != "" {
		t.Fatalf("an unanchored log from an older version: %q", why)
	}
	if _, err := audit.ReadAnchor(dir); err != nil {
		t.Fatalf("anchor not written: %v", err)
	}
	info, err := os.Stat(audit.AnchorPath(dir))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("anchor file: %v %v", info, err)
	}
}

func TestARowEditedBeforeTheCheckpointIsFoundByTheFullChecks(t *testing.T) {
	dir := auditedInstallation(t)
	if why := reopenReadOnlyReason(t, dir); why != "" { // moves the checkpoint to the head
		t.Fatalf("intact log: %q", why)
	}
	behindTheAppsBack(t, dir, `DROP TRIGGER audit_log_no_update`, `UPDATE audit_log SET detail = '改过' WHERE id = 1`)
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.readOnly != "" {
		t.Fatalf("start-up walked the rows before its checkpoint: %q", a.readOnly)
	}
	a.dailyAuditCheck(context.Background())
	if !strings.Contains(a.readOnly, "审计日志第 1 条") {
		t.Fatalf("daily check: %q", a.readOnly)
	}
	if code, _, errOut := runCLI("audit", "verify", "--data", dir); code == 0 || !strings.Contains(errOut, "第 1 条") {
		t.Fatalf("audit verify: %d %q", code, errOut)
	}
}

func TestARowEditedAfterTheCheckpointIsFoundAtStartUp(t *testing.T) {
	dir := auditedInstallation(t)
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy()}) // checkpoint at the head
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.accounts.Login(context.Background(), account.Credentials{Username: "leader", Password: testdb.Password}, "test"); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if cp, err := os.ReadFile(audit.CheckpointPath(dir)); err != nil || len(cp) == 0 {
		t.Fatalf("no checkpoint: %v", err)
	}
	behindTheAppsBack(t, dir, `DROP TRIGGER audit_log_no_update`,
		`UPDATE audit_log SET detail = '改过' WHERE id = (SELECT MAX(id) FROM audit_log)`)
	if why := reopenReadOnlyReason(t, dir); !strings.Contains(why, "审计日志第") {
		t.Fatalf("start-up check: %q", why)
	}
}
