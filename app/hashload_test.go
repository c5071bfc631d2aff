package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"huicai/internal/testkit"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"huicai/internal/account"
	"huicai/internal/setup"
	"huicai/internal/testdb"
)

// TestRegistrationBurstChild is the server TestRegistrationBurst floods:
// the real password-hash cost, a unit and one department.
func TestRegistrationBurstChild(t *testing.T) {
	dir, addr := os.Getenv("HUICAI_BURST_DATA"), os.Getenv("HUICAI_BURST_ADDR")
	if dir == "" {
		t.Skip("started by TestRegistrationBurst")
	}
	a, err := Open(context.Background(), Config{DataDir: dir, Policy: account.DefaultPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := setup.Run(context.Background(), a.db, testdb.SetupInput(), testdb.FastHash, "test"); err != nil {
		t.Fatal(err)
	}
	fmt.Println("department", testdb.Department(t, a.db, "物理学院"))
	a.Serve(context.Background(), testAssets(), ServeOptions{Listen: addr, DataDir: dir, Out: io.Discard})
}

// TestRegistrationBurst sends 200 registrations at once, each from its own
// loopback address so that the per-address limit lets them through to the
// password hash: the server stays within its memory budget and keeps
// answering other users.
func TestRegistrationBurst(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("measures memory at full hash cost, without the race detector's overhead (scripts/test.sh runs it so)")
	}
	dir, addr := t.TempDir(), freeAddr(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestRegistrationBurstChild$", "-test.v")
	cmd.Env = append(os.Environ(), "HUICAI_BURST_DATA="+dir, "HUICAI_BURST_ADDR="+addr, "GOMAXPROCS=2")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitServing(t, addr)
	dept := strings.Fields(strings.SplitN(out.String(), "department ", 2)[1])[0]

	statuses := make(map[int]int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status := registerFrom(addr, fmt.Sprintf("127.0.%d.%d", 1+i/250, 2+i%250), i, dept)
			mu.Lock()
			statuses[status]++
			mu.Unlock()
		}()
	}
	others := 0
	for range 5 {
		if res, err := http.Get("http://" + addr + "/api/version"); err == nil && res.StatusCode == 200 {
			others++
			res.Body.Close()
		}
		time.Sleep(200 * time.Millisecond)
	}
	wg.Wait()
	peak := procStatus(t, cmd.Process.Pid, "VmHWM")
	after := procStatus(t, cmd.Process.Pid, "VmRSS")
	t.Logf("200 parallel registrations: statuses %v, peak RSS %d MB, RSS after %d MB, other users answered %d/5",
		statuses, peak>>20, after>>20, others)
	if peak > 600<<20 {
		t.Errorf("peak RSS %d MB, want under 600 MB", peak>>20)
	}
	if after > 200<<20 {
		t.Errorf("RSS after the burst %d MB: the hashes' memory was not given back", after>>20)
	}
	if others != 5 {
		t.Errorf("other users answered %d of 5 times during the burst", others)
	}
	if statuses[200] == 0 || statuses[200]+statuses[429] != 200 {
		t.Errorf("statuses %v: want registrations done or refused as busy (429), nothing else", statuses)
	}
	testkit.RecordSecurity(t, "registration_burst", map[string]any{"parallel": 200, "registered": statuses[200],
		"refused_busy": statuses[429], "peak_rss_mb": peak >> 20, "rss_after_mb": after >> 20})
}

func waitServing(t *testing.T, addr string) {
	t.Helper()
	for range 500 {
		if res, err := http.Get("http://" + addr + "/api/version"); err == nil {
			res.Body.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the server did not start")
}

// registerFrom registers talent i from the loopback address ip.
func registerFrom(addr, ip string, i int, dept string) int {
	d, _ := strconv.ParseInt(dept, 10, 64)
	in := testdb.Registration(fmt.Sprintf("burst%03d", i), 500+i, d)
	body, _ := json.Marshal(in)
	client := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}).DialContext}, Timeout: 2 * time.Minute}
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/registration/talent", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	return res.StatusCode
}

// procStatus is a size field of the process's status in bytes: VmHWM is
// the high-water resident set, VmRSS the current one.
func procStatus(t *testing.T, pid int, field string) int64 {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no " + field)
	return 0
}
