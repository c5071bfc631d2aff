package perf

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"sync"
	"syscall"
	"time"
)

// startTimeout bounds how long a server may take to start listening.
const startTimeout = 5 * time.Minute

// server is a running "huicai serve" the tool started.
type server struct {
	cmd *exec.Cmd
	// url is where it listens, such as http://127.0.0.1:41234.
	url string
	// started is when the process was started.
	started time.Time
	exited  chan error
	// stderr keeps the end of what the server wrote to its standard error.
	stderr *tail
}

// tail keeps the last bytes written to it.
type tail struct {
	mu   sync.Mutex
	data []byte
}

// tailSize is how much of a server's standard error an error shows.
const tailSize = 2000

// Write keeps p, dropping what is older than the last tailSize bytes.
func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.data = append(t.data, p...)
	if len(t.data) > 2*tailSize {
		t.data = append([]byte(nil), t.data[len(t.data)-tailSize:]...)
	}
	return len(p), nil
}

// String is the last tailSize bytes written.
func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.data[max(len(t.data)-tailSize, 0):])
}

// listening finds the address in the line serve prints once it listens.
var listening = regexp.MustCompile(`(https?://[0-9.:\[\]a-z]+)/`)

// startServer starts "bin serve" on dataDir on a free loopback port and
// waits until it listens. Its log goes to huicai.log in the data folder.
func startServer(ctx context.Context, bin, dataDir string) (*server, error) {
	cmd := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--data", dataDir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, started: time.Now(), exited: make(chan error, 1), stderr: &tail{}}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	found := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			if m := listening.FindStringSubmatch(lines.Text()); m != nil && len(found) == 0 {
				found <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, out)
		s.exited <- cmd.Wait()
	}()
	select {
	case s.url = <-found:
		return s, nil
	case err := <-s.exited:
		return nil, fmt.Errorf("huicai serve exited before listening (%v):\n%s", err, s.stderr)
	case <-time.After(startTimeout):
		err = errors.New("huicai serve did not start listening in time")
	case <-ctx.Done():
		err = ctx.Err()
	}
	return nil, errors.Join(err, s.stop())
}

// pid is the server process's id.
func (s *server) pid() int { return s.cmd.Process.Pid }

// stop ends the server as Ctrl-C would, and kills it if it does not end
// within 30 seconds. It fails if the server had already ended, or ends
// other than cleanly.
func (s *server) stop() error {
	select {
	case err := <-s.exited:
		return fmt.Errorf("huicai serve ended by itself (%v):\n%s", err, s.stderr)
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-s.exited:
		if err != nil {
			return fmt.Errorf("huicai serve, stopping: %w\n%s", err, s.stderr)
		}
		return nil
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		return fmt.Errorf("huicai serve did not stop within 30 s of SIGTERM, killed: %v", <-s.exited)
	}
}

// loginPage waits until the login page loads, as a browser opening the
// server would: the page itself (/) and the setup status it asks for
// (GET /api/setup) both answer 200. It returns the time since the start.
func (s *server) loginPage(ctx context.Context) (time.Duration, error) {
	c := newClient(s.url, "127.0.0.1")
	for _, path := range []string{"/", "/api/setup"} {
		for {
			err := c.get(ctx, path, nil)
			if err == nil {
				break
			}
			if ctx.Err() != nil || time.Since(s.started) > startTimeout {
				return 0, fmt.Errorf("login page: %w", err)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	return time.Since(s.started), nil
}
