package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"huicai/internal/audit"
	"huicai/internal/files"
	"huicai/internal/store"
	"huicai/internal/testdb"
)

// TestCrashChild is the server the crash test kills; it only runs when the
// crash test starts it.
func TestCrashChild(t *testing.T) {
	dir, addr := os.Getenv("HUICAI_CRASH_DATA"), os.Getenv("HUICAI_CRASH_ADDR")
	if dir == "" {
		t.Skip("started by TestCrashSafety")
	}
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: testdb.Policy()})
	if err != nil {
		t.Fatal(err)
	}
	a.Serve(context.Background(), testAssets(), ServeOptions{Listen: addr, DataDir: dir, Out: os.Stdout})
}

type crashClient struct {
	base  string
	token string
}

func (c *crashClient) do(method, path string, body []byte, header map[string]string) (int, map[string]any) {
	req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func (c *crashClient) json(method, path, body string) (int, map[string]any) {
	return c.do(method, path, []byte(body), map[string]string{"Content-Type": "application/json"})
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startChild(t *testing.T, dir, addr string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
	cmd.Env = append(os.Environ(), "HUICAI_CRASH_DATA="+dir, "HUICAI_CRASH_ADDR="+addr)
	cmd.Stdout = &syncBuffer{} // for the setup token
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 300; i++ {
		if res, err := http.Get("http://" + addr + "/api/setup"); err == nil {
			res.Body.Close()
			return cmd
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatal("the server did not start")
	return nil
}

// acked records the writes the server acknowledged.
type acked struct {
	mu          sync.Mutex
	departments []string
	staff       []string
	approved    []int64
	uploads     map[string]bool // SHA-256 of acknowledged attachments
}

// TestCrashSafety drives concurrent writes through the API, kills the
// server with SIGKILL at random moments, restarts it, and proves every
// acknowledged write is there, the database is intact, no attachment is
// missing its bytes, and the audit chain verifies.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a server several times")
	}
	dir, addr := t.TempDir(), freeAddr(t)
	c := &crashClient{base: "http://" + addr}
	child := startChild(t, dir, addr)
	token := tokenLine.FindStringSubmatch(child.Stdout.(*syncBuffer).String())
	if token == nil {
		t.Fatal("the server printed no setup token")
	}
	c.json("POST", "/api/setup", withToken(validSetup, token[1]))
	_, s := c.json("POST", "/api/session", `{"username":"leader","password":"Leader@2026"}`)
	c.token, _ = s["token"].(string)
	_, d := c.json("POST", "/api/departments", `{"name":"物理学院"}`)
	dept := int64(d["id"].(float64))
	appID := seedApplication(t, c, dept)
	log := &acked{uploads: map[string]bool{}}
	rng := rand.New(rand.NewSource(1))
	for round := 0; round < 4; round++ {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				writeUntil(stop, c, round, w, dept, appID, log)
			}()
		}
		time.Sleep(time.Duration(150+rng.Intn(450)) * time.Millisecond)
		child.Process.Signal(syscall.SIGKILL)
		child.Wait()
		close(stop)
		wg.Wait()
		child = startChild(t, dir, addr)
		_, s := c.json("POST", "/api/session", `{"username":"leader","password":"Leader@2026"}`)
		c.token, _ = s["token"].(string)
		checkAcked(t, c, log, appID)
	}
	child.Process.Signal(syscall.SIGKILL)
	child.Wait()

	db, err := OpenData(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var result string
	db.QueryRow(`PRAGMA integrity_check`).Scan(&result)
	if result != "ok" {
		t.Errorf("integrity_check: %s", result)
	}
	if _, err := audit.Verify(context.Background(), db); err != nil {
		t.Errorf("audit chain: %v", err)
	}
	docs := files.NewStore(dir)
	ids, err := store.Rows(context.Background(), db, func(rows *sql.Rows) (id *int64, err error) {
		return id, rows.Scan(&id)
	}, `SELECT f.id FROM card_attachments a LEFT JOIN files f ON f.id = a.file_id`)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if id == nil {
			t.Error("an attachment has no file row")
			continue
		}
		f, _ := files.ByID(context.Background(), db, *id)
		in, err := docs.Open(f)
		if err != nil {
			t.Errorf("attachment file %d: %v", *id, err)
			continue
		}
		in.Close()
	}
	t.Logf("acknowledged: %d departments, %d registrations, %d approvals, %d uploads", len(log.departments), len(log.staff), len(log.approved), len(log.uploads))
}

func seedApplication(t *testing.T, c *crashClient, dept int64) int64 {
	reg := testdb.Registration("crashtalent", 1, dept)
	body, _ := json.Marshal(reg)
	_, r := c.json("POST", "/api/registration/talent", string(body))
	talentID := int64(r["id"].(float64))
	staff := testdb.NewStaff("crashstaff", 1, dept)
	body, _ = json.Marshal(staff)
	_, r = c.json("POST", "/api/registration/staff", string(body))
	staffID := int64(r["id"].(float64))
	c.json("POST", fmt.Sprintf("/api/staff/%d/decision", staffID), `{"action":"approve"}`)
	c.json("POST", fmt.Sprintf("/api/staff/%d/talents", staffID), fmt.Sprintf(`{"talent_ids":[%d]}`, talentID))
	_, list := c.json("GET", "/api/applications", "")
	items := list["items"].([]any)
	return int64(items[0].(map[string]any)["id"].(float64))
}

func writeUntil(stop chan struct{}, c *crashClient, round, worker int, dept, appID int64, log *acked) {
	commissioner := &crashClient{base: c.base}
	_, s := commissioner.json("POST", "/api/session", `{"username":"crashstaff","password":"Leader@2026"}`)
	commissioner.token, _ = s["token"].(string)
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		tag := fmt.Sprintf("r%dw%di%d", round, worker, i)
		switch i % 3 {
		case 0:
			name := "学院" + tag
			if code, _ := c.json("POST", "/api/departments", fmt.Sprintf(`{"name":%q}`, name)); code == 200 {
				log.mu.Lock()
				log.departments = append(log.departments, name)
				log.mu.Unlock()
			}
		case 1:
			seq := 100 + round*1000 + worker*200 + i
			body, _ := json.Marshal(testdb.NewStaff("s"+tag, seq, dept))
			code, r := c.json("POST", "/api/registration/staff", string(body))
			if code != 200 {
				continue
			}
			log.mu.Lock()
			log.staff = append(log.staff, "s"+tag)
			log.mu.Unlock()
			id := int64(r["id"].(float64))
			if code, _ := c.json("POST", fmt.Sprintf("/api/staff/%d/decision", id), `{"action":"approve"}`); code == 200 {
				log.mu.Lock()
				log.approved = append(log.approved, id)
				log.mu.Unlock()
			}
		case 2:
			data := []byte("%PDF-1.4\n" + tag + strings.Repeat(" scanned page", 2000))
			sum := sha256.Sum256(data)
			code, _ := commissioner.do("POST", fmt.Sprintf("/api/applications/%d/attachments?kind=other", appID), data, map[string]string{"X-File-Name": tag + ".pdf"})
			if code == 200 {
				log.mu.Lock()
				log.uploads[hex.EncodeToString(sum[:])] = true
				log.mu.Unlock()
			}
		}
	}
}

func checkAcked(t *testing.T, c *crashClient, log *acked, appID int64) {
	t.Helper()
	log.mu.Lock()
	defer log.mu.Unlock()
	_, deps := c.do("GET", "/api/departments", nil, nil)
	_ = deps
	req, _ := http.NewRequest("GET", c.base+"/api/departments", nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list []map[string]any
	json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	have := map[string]bool{}
	for _, d := range list {
		have[d["name"].(string)] = true
	}
	for _, name := range log.departments {
		if !have[name] {
			t.Errorf("acknowledged department %s is lost", name)
		}
	}
	_, staff := c.json("GET", "/api/staff?tab=active&page_size=100", "")
	active := map[int64]bool{}
	for _, s := range staff["items"].([]any) {
		active[int64(s.(map[string]any)["id"].(float64))] = true
	}
	for _, id := range log.approved {
		if !active[id] {
			t.Errorf("acknowledged approval of %d is lost", id)
		}
	}
	_, detail := c.json("GET", fmt.Sprintf("/api/applications/%d", appID), "")
	stored := map[string]bool{}
	for _, a := range detail["attachments"].([]any) {
		stored[a.(map[string]any)["file"].(map[string]any)["sha256"].(string)] = true
	}
	for sum := range log.uploads {
		if !stored[sum] {
			t.Errorf("acknowledged upload %s is lost", sum[:12])
		}
	}
}
