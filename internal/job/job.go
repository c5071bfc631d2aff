// Package job runs long work (exports, packaging) in the background so the
// UI can show its progress and cancel it. Jobs live in memory: one that is
// running when the program stops simply did not happen, and the work itself
// must leave nothing behind unless it completes.
package job

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"huicai/internal/apperr"
	"huicai/internal/clock"
	"huicai/internal/store"
)

// States of a job.
const (
	Running   = "running"
	Done      = "done"
	Failed    = "failed"
	Cancelled = "cancelled"
)

// Progress reports how much of the work is done.
type Progress func(done, total int)

// Work is what a job does; it must stop when ctx is cancelled.
type Work func(ctx context.Context, progress Progress) (any, error)

// Status is a job as the UI polls it.
type Status struct {
	ID     string        `json:"id"`
	State  string        `json:"state"`
	Done   int           `json:"done"`
	Total  int           `json:"total"`
	Error  *apperr.Error `json:"error,omitempty"`
	Result any           `json:"result,omitempty"`
}

type job struct {
	owner int64
	// key names what the job works on, for StartExclusive; "" for none.
	key      string
	status   Status
	cancel   context.CancelFunc
	finished time.Time
}

// Runner keeps the jobs of one process.
type Runner struct {
	mu   sync.Mutex
	jobs map[string]*job
	// Internal receives errors that are not user errors, for logging.
	Internal func(error)
}

// NewRunner returns an empty runner.
func NewRunner(internal func(error)) *Runner {
	return &Runner{jobs: map[string]*job{}, Internal: internal}
}

// Start runs work in the background for owner and returns its status.
func (r *Runner) Start(owner int64, work Work) Status {
	s, _ := r.StartExclusive(owner, "", "", work)
	return s
}

// StartExclusive runs work like Start unless a job on the same key (such
// as one batch, which an export and a submission both write) is still
// running: then it refuses with busy as the message and starts nothing.
// A user who clicks 导出 twice, or two colleagues at once, get one export.
func (r *Runner) StartExclusive(owner int64, key, busy string, work Work) (Status, error) {
	idBytes := make([]byte, 12)
	rand.Read(idBytes)
	r.mu.Lock()
	if key != "" {
		for _, other := range r.jobs {
			if other.key == key && other.status.State == Running {
				r.mu.Unlock()
				return Status{}, apperr.Conflict(busy)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	j := &job{owner: owner, key: key, cancel: cancel, status: Status{ID: hex.EncodeToString(idBytes), State: Running}}
	started := j.status
	r.forgetOld()
	r.jobs[j.status.ID] = j
	r.mu.Unlock()
	go r.run(ctx, j, work)
	return started, nil
}

func (r *Runner) run(ctx context.Context, j *job, work Work) {
	result, err := safely(ctx, work, func(done, total int) {
		r.mu.Lock()
		j.status.Done, j.status.Total = done, total
		r.mu.Unlock()
	})
	r.mu.Lock()
	defer r.mu.Unlock()
	j.finished = clock.Now()
	switch {
	case err == nil: // finished, even if a cancel arrived after the work committed
		j.status.State, j.status.Result = Done, result
	case ctx.Err() != nil:
		j.status.State = Cancelled
	default:
		j.status.State = Failed
		e, ok := apperr.As(err)
		if !ok {
			r.Internal(err)
			e = apperr.Internal()
		}
		switch {
		case errors.As(err, new(*panicError)):
			e = errCrashed
		case !ok && store.DiskFull(err):
			e = apperr.DiskFull()
		}
		j.status.Error = e
	}
	j.cancel()
}

// errCrashed is what the user sees of a job that panicked.
var errCrashed = apperr.New(apperr.CodeInternal, "任务意外中止，未保存任何结果；问题已记入日志，请重试，仍不成功请联系技术支持")

// panicError is a panic in a job's work, with the stack where it happened.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string { return fmt.Sprintf("job panicked: %v\n%s", p.value, p.stack) }

// safely runs work, turning a panic into an error so that one bad job
// never takes the process (and every user of the LAN server) down.
func safely(ctx context.Context, work Work, progress Progress) (result any, err error) {
	defer func() {
		if v := recover(); v != nil {
			result, err = nil, &panicError{value: v, stack: debug.Stack()}
		}
	}()
	return work(ctx, progress)
}

var errNoJob = apperr.NotFound("没有找到该任务")

// Get returns owner's job id.
func (r *Runner) Get(owner int64, id string) (Status, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	j, ok := r.jobs[id]
	if !ok || j.owner != owner {
		return Status{}, errNoJob
	}
	return j.status, nil
}

// Cancel asks owner's job id to stop.
func (r *Runner) Cancel(owner int64, id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	j, ok := r.jobs[id]
	if !ok || j.owner != owner {
		return errNoJob
	}
	j.cancel()
	return nil
}

// Wait blocks until job id ends (for tests and the command line).
func (r *Runner) Wait(owner int64, id string) Status {
	for {
		s, err := r.Get(owner, id)
		if err != nil || s.State != Running {
			return s
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// forgetOld drops jobs that ended more than an hour ago.
func (r *Runner) forgetOld() {
	for id, j := range r.jobs {
		if !j.finished.IsZero() && clock.Now().Sub(j.finished) > time.Hour {
			delete(r.jobs, id)
		}
	}
}

// Busy reports whether any job is running.
func (r *Runner) Busy() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, j := range r.jobs {
		if j.status.State == Running {
			return true
		}
	}
	return false
}
