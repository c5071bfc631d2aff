package job

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"

	"huicai/internal/apperr"
)

func TestPanickingJobFailsAndTheRunnerGoesOn(t *testing.T) {
	var mu sync.Mutex
	var logged []error
	r := NewRunner(func(err error) { mu.Lock(); logged = append(logged, err); mu.Unlock() })
	s := r.Wait(1, r.Start(1, func(context.Context, Progress) (any, error) {
		var names []string
		return names[3], nil // index out of range, as fpdf once did on a rare name
	}).ID)
	if s.State != Failed || s.Error == nil || s.Error.Code != apperr.CodeInternal || !strings.Contains(s.Error.Message, "任务意外中止") {
		t.Fatalf("status = %+v, want failed with the crash message", s)
	}
	mu.Lock()
	if len(logged) != 1 || !strings.Contains(logged[0].Error(), "index out of range") || !strings.Contains(logged[0].Error(), "job_test.go") {
		t.Fatalf("logged %v, want the panic with its stack", logged)
	}
	mu.Unlock()
	if next := r.Wait(1, r.Start(1, func(context.Context, Progress) (any, error) { return "ok", nil }).ID); next.State != Done {
		t.Fatalf("next job = %+v, want done", next)
	}
}

func TestWorkThatFinishedIsDoneEvenIfCancelledAtTheEnd(t *testing.T) {
	r := NewRunner(func(error) {})
	started := make(chan struct{})
	release := make(chan struct{})
	id := r.Start(1, func(ctx context.Context, _ Progress) (any, error) {
		close(started)
		<-release // the work commits; a cancel arrives before the runner looks
		return "committed", nil
	}).ID
	<-started
	if err := r.Cancel(1, id); err != nil {
		t.Fatal(err)
	}
	close(release)
	if s := r.Wait(1, id); s.State != Done || s.Result != "committed" {
		t.Fatalf("status = %+v, want done with its result", s)
	}
}

func TestCancelledWorkIsCancelled(t *testing.T) {
	r := NewRunner(func(error) {})
	id := r.Start(1, func(ctx context.Context, _ Progress) (any, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}).ID
	if err := r.Cancel(1, id); err != nil {
		t.Fatal(err)
	}
	if s := r.Wait(1, id); s.State != Cancelled {
		t.Fatalf("status = %+v, want cancelled", s)
	}
	if err := r.Cancel(2, id); !errors.Is(err, errNoJob) {
		t.Fatalf("another owner's cancel = %v, want not found", err)
	}
}

func TestAFullDiskSaysSo(t *testing.T) {
	r := NewRunner(func(error) {})
	s := r.Wait(1, r.Start(1, func(context.Context, Progress) (any, error) {
		return nil, fmt.Errorf("export: write: %w", &os.PathError{Op: "write", Path: "x.pdf", Err: syscall.ENOSPC})
	}).ID)
	if s.State != Failed || s.Error.Code != apperr.CodeDiskFull || !strings.Contains(s.Error.Message, "磁盘空间不足") {
		t.Fatalf("status = %+v", s)
	}
}

// TestASecondJobOnTheSameKeyIsRefusedWhileTheFirstRuns: 导出 clicked twice,
// or by two colleagues at once, runs one export; the other is told why and
// nothing of it starts. Another key, and the same key once the first has
// ended, start as usual.
func TestASecondJobOnTheSameKeyIsRefusedWhileTheFirstRuns(t *testing.T) {
	r := NewRunner(func(error) {})
	release := make(chan struct{})
	var runs sync.WaitGroup
	runs.Add(1)
	first, err := r.StartExclusive(1, "batch card 7", "该批次正在导出", func(context.Context, Progress) (any, error) {
		defer runs.Done()
		<-release
		return "first", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var secondRan bool
	_, err = r.StartExclusive(2, "batch card 7", "该批次正在导出", func(context.Context, Progress) (any, error) {
		secondRan = true
		return nil, nil
	})
	if e, ok := apperr.As(err); !ok || e.Code != apperr.CodeConflict || e.Message != "该批次正在导出" {
		t.Fatalf("second start: %v; want a conflict saying the batch is busy", err)
	}
	other, err := r.StartExclusive(1, "batch card 8", "busy", func(context.Context, Progress) (any, error) { return "other", nil })
	if err != nil || r.Wait(1, other.ID).State != Done {
		t.Fatalf("another batch: %v", err)
	}
	close(release)
	if s := r.Wait(1, first.ID); s.Result != "first" {
		t.Fatalf("first = %+v", s)
	}
	runs.Wait()
	again, err := r.StartExclusive(2, "batch card 7", "busy", func(context.Context, Progress) (any, error) { return "again", nil })
	if err != nil || r.Wait(2, again.ID).Result != "again" || secondRan {
		t.Fatalf("after the first ended: %v, refused job ran: %v", err, secondRan)
	}
}
