package perf

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// memory is a process's resident memory now and at its peak, and of it
// now the program's own (anonymous) memory, as opposed to pages of the
// binary and of the shared libraries it maps, in KiB.
type memory struct{ rss, peak, anon int }

// readMemory reads VmRSS and VmHWM of process pid from /proc.
func readMemory(pid int) (memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, err
	}
	defer f.Close()
	var m memory
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		name, value, _ := strings.Cut(lines.Text(), ":")
		kib, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(value), " kB"))
		switch name {
		case "VmRSS":
			m.rss = kib
		case "VmHWM":
			m.peak = kib
		case "RssAnon":
			m.anon = kib
		}
	}
	if m.rss == 0 {
		return m, errors.New("perf: no VmRSS in /proc status")
	}
	return m, lines.Err()
}

// resetPeak starts process pid's VmHWM over from its RSS now.
func resetPeak(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// cpuTicks is how much CPU time process pid has used, in clock ticks.
func cpuTicks(pid int) (int, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: count fields after it.
	_, rest, ok := strings.Cut(string(data), ") ")
	fields := strings.Fields(rest)
	if !ok || len(fields) < 13 {
		return 0, errors.New("perf: unexpected /proc stat")
	}
	utime, _ := strconv.Atoi(fields[11])
	stime, _ := strconv.Atoi(fields[12])
	return utime + stime, nil
}

// settleTimeout bounds the wait for a server's background work.
const settleTimeout = 10 * time.Minute

// settle waits until the server has finished its start-up work in the
// background (the daily audit check and backup): two quiet seconds in a
// row in which it used almost no CPU and the backups folder did not grow.
func settle(ctx context.Context, pid int, dataDir string) error {
	deadline := time.Now().Add(settleTimeout)
	quiet := 0
	ticks, _ := cpuTicks(pid)
	size := backupBytes(dataDir)
	for quiet < 2 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
		t, err := cpuTicks(pid)
		if err != nil {
			return err
		}
		s := backupBytes(dataDir)
		quiet++
		if t-ticks > 3 || s != size {
			quiet = 0
		}
		ticks, size = t, s
		if time.Now().After(deadline) {
			return errors.New("perf: the server's start-up work did not finish in time")
		}
	}
	return nil
}

// backupBytes is the size of everything in the backups folder.
func backupBytes(dataDir string) int64 {
	_, size, _ := folderSize(filepath.Join(dataDir, "backups"))
	return size
}
