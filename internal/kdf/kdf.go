// Package kdf runs Argon2id, the memory-hard derivation that every password
// and passphrase goes through, a bounded number at a time: each run takes
// tens of megabytes, so unbounded parallel requests (anyone on the LAN can
// send registrations) would exhaust the server's memory. Callers beyond the
// slots wait their turn; past a short queue, or after waiting too long,
// they are refused as busy. When the last run of a burst ends, the memory
// goes back to the operating system.
package kdf

import (
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"huicai/internal/apperr"
)

// Params are Argon2id's cost parameters.
type Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// ErrBusy refuses a derivation when too many are waiting.
var ErrBusy = apperr.New(apperr.CodeTooMany, "系统正忙，请稍后再试")

// Limits of the shared pool: how many derivations run at once (each runs
// on two threads, so half the cores keeps them all busy), how many may
// wait, and for how long.
var (
	slots      = min(max(runtime.NumCPU()/2, 1), 4)
	maxWaiting = 64
	maxWait    = 30 * time.Second
)

type pool struct {
	run     chan struct{}
	mu      sync.Mutex
	waiting int
	active  int
	peak    int
}

var shared = newPool(slots)

func newPool(n int) *pool { return &pool{run: make(chan struct{}, n)} }

// IDKey derives keyLen bytes from password and salt with Argon2id, waiting
// for a free slot first.
func IDKey(password, salt []byte, p Params, keyLen uint32) ([]byte, error) {
	return shared.idKey(password, salt, p, keyLen)
}

func (pl *pool) idKey(password, salt []byte, p Params, keyLen uint32) ([]byte, error) {
	if err := pl.acquire(); err != nil {
		return nil, err
	}
	defer pl.release()
	return argon2.IDKey(password, salt, p.Time, p.MemoryKiB, p.Threads, keyLen), nil
}

func (pl *pool) acquire() error {
	pl.mu.Lock()
	if pl.waiting >= maxWaiting {
		pl.mu.Unlock()
		return ErrBusy
	}
	pl.waiting++
	pl.mu.Unlock()
	timer := time.NewTimer(maxWait)
	defer timer.Stop()
	select {
	case pl.run <- struct{}{}:
	case <-timer.C:
		pl.mu.Lock()
		pl.waiting--
		pl.mu.Unlock()
		return ErrBusy
	}
	pl.mu.Lock()
	pl.waiting--
	pl.active++
	pl.peak = max(pl.peak, pl.active)
	pl.mu.Unlock()
	return nil
}

func (pl *pool) release() {
	<-pl.run
	pl.mu.Lock()
	pl.active--
	idle := pl.active == 0 && pl.waiting == 0
	pl.mu.Unlock()
	if idle {
		debug.FreeOSMemory() // a burst is over: give its tens of megabytes back
	}
}

// Version is the Argon2 version IDKey implements.
const Version = argon2.Version
