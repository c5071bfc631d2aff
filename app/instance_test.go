package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"huicai/internal/testdb"
)

// TestSecondInstanceChild is a huicai process the single-instance tests
// start: "holder" runs the desktop app in the browser fallback (the
// window needs a display) and prints each URL it opens; "main" runs the
// command line given after it, printing message boxes and the exit code.
func TestSecondInstanceChild(t *testing.T) {
	role, args := os.Getenv("HUICAI_INSTANCE_ROLE"), strings.Fields(os.Getenv("HUICAI_INSTANCE_ARGS"))
	switch role {
	case "":
		t.Skip("started by the TestSecondInstance… tests")
	case "holder":
		dir := args[0]
		inst, err := enterDesktop(dir, os.Stderr)
		if err != nil || inst == nil {
			t.Fatalf("the holder did not get the folder: %v", err)
		}
		a, done, err := openApp(dir, testdb.Policy(), os.Stderr)
		if err != nil {
			t.Fatal(err)
		}
		defer done()
		ui := a.desktopUI(testAssets(), inst)
		ui.started = nil
		ui.serveInBrowser(context.Background(), func(u string) error { fmt.Println("open " + u); return nil })
	case "main":
		messageBox = func(_, text string) { fmt.Println("box: " + strings.ReplaceAll(text, "\n", " ")) }
		code := Main(args, testAssets(), os.Stdout, os.Stdout)
		fmt.Printf("exit=%d\n", code)
	}
}

// instanceChild starts the test binary as a huicai process; it is killed
// (and waited for) when the test ends.
func instanceChild(t *testing.T, role string, args ...string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondInstanceChild$")
	cmd.Env = append(os.Environ(), "HUICAI_INSTANCE_ROLE="+role, "HUICAI_INSTANCE_ARGS="+strings.Join(args, " "))
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, out
}

// runInstanceChild runs a "main" child to its end and returns its output.
func runInstanceChild(t *testing.T, args ...string) string {
	t.Helper()
	cmd, out := instanceChild(t, "main", args...)
	cmd.Wait()
	return out.String()
}

// waitFor waits until out matches re n times and returns the matches.
func waitFor(t *testing.T, out *syncBuffer, re *regexp.Regexp, n int) [][]string {
	t.Helper()
	for i := 0; i < 1200; i++ {
		if m := re.FindAllStringSubmatch(out.String(), -1); len(m) >= n {
			return m
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no %d× %s in:\n%s", n, re, out)
	return nil
}

var openedLine = regexp.MustCompile(`open (http://\S+)`)

// TestSecondInstanceOpensTheBrowserAgain: with the desktop app running in
// the browser (no WebView2), starting it again on the same data folder
// opens the browser again with a fresh launch token, and the second
// process exits 0 without opening the database. huicai serve and restore
// on that folder are refused; once the first process is gone (even
// killed), the folder is free.
func TestSecondInstanceOpensTheBrowserAgain(t *testing.T) {
	dir := wineSafeTempDir(t)
	holder, out := instanceChild(t, "holder", dir)
	first := waitFor(t, out, openedLine, 1)[0][1]
	if got := visit(t, browserClient(), "GET", first, "", ""); got.status != 200 || got.shut() {
		t.Fatalf("the first launch: %d %q", got.status, got.body)
	}

	second := runInstanceChild(t, "--data", dir)
	if !strings.Contains(second, "exit=0") || !strings.Contains(second, "惠才通已在运行") || strings.Contains(second, "box:") {
		t.Fatalf("the second start:\n%s", second)
	}
	again := waitFor(t, out, openedLine, 2)[1][1]
	if got := visit(t, browserClient(), "GET", again, "", ""); got.status != 200 || got.shut() {
		t.Errorf("the browser opened again: %d %q", got.status, got.body)
	}
	if got := visit(t, browserClient(), "GET", first, "", ""); !got.shut() {
		t.Errorf("the first token again: %d %q", got.status, got.body)
	}

	for _, args := range [][]string{{"serve", "--listen", "127.0.0.1:0", "--data", dir}, {"restore", "backup.zip", "--data", dir}} {
		if code, _, errOut := runCLI(args...); code != 1 || !strings.Contains(errOut, "正由另一个惠才通程序使用") {
			t.Errorf("%s on the held folder: exit %d, %s", args[0], code, errOut)
		}
	}

	holder.Process.Kill()
	holder.Wait()
	in, err := claimInstance(dir)
	if err != nil {
		t.Fatalf("the folder of a killed process: %v", err)
	}
	in.Close()
}

// TestSecondInstanceRefusedWhileServeRuns: the desktop app does not open
// a folder huicai serve holds (it says why, in a message box on Windows),
// nor does a second huicai serve.
func TestSecondInstanceRefusedWhileServeRuns(t *testing.T) {
	dir, addr := wineSafeTempDir(t), freeAddr(t)
	_, out := instanceChild(t, "main", "serve", "--listen", addr, "--data", dir)
	waitFor(t, out, regexp.MustCompile("惠才通已启动"), 1)

	desktop := runInstanceChild(t, "--data", dir)
	if !strings.Contains(desktop, "exit=1") || !regexp.MustCompile(`box: 数据文件夹 .* 正由 huicai serve`).MatchString(desktop) {
		t.Errorf("the desktop app on the served folder:\n%s", desktop)
	}
	if code, _, errOut := runCLI("serve", "--listen", "127.0.0.1:0", "--data", dir); code != 1 || !strings.Contains(errOut, "正由另一个惠才通程序使用") {
		t.Errorf("a second serve: exit %d, %s", code, errOut)
	}
}

// TestKnockNeedsTheSecret: the lock is exclusive within one process too,
// and a knock without the secret from the data folder gets no answer.
func TestKnockNeedsTheSecret(t *testing.T) {
	dir := wineSafeTempDir(t)
	in, err := claimInstance(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var held *heldError
	if _, err := claimInstance(dir); !errors.As(err, &held) {
		t.Fatalf("second claim: %v", err)
	}
	if reply, err := knockOnce(dir); err != nil || reply != knockStarting {
		t.Errorf("knock while starting: %q %v", reply, err)
	}
	c, err := net.Dial("tcp", in.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "knock %s\n", strings.Repeat("0", len(in.secret)))
	if n, err := c.Read(make([]byte, 16)); n != 0 || err == nil {
		t.Errorf("a wrong secret got an answer (%d bytes, %v)", n, err)
	}
}
