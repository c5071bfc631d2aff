package pack

import (
	"os"
	"sync"
)

// syncEvery is how much is written to a package between background syncs.
const syncEvery = 64 << 20

// syncer writes to a file and has the system put what was written on disk
// in the background as the file grows, so that the sync that ends a
// package waits only for its last part: on a disk not much faster than
// hashing, syncing a whole gigabyte at the end took about as long again
// as hashing it.
type syncer struct {
	f       *os.File
	written int64 // since the last background sync was asked for
	ask     chan struct{}
	done    chan struct{}
	once    sync.Once
	err     error // the first background sync that failed; read after done
}

func newSyncer(f *os.File) *syncer {
	s := &syncer{f: f, ask: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for range s.ask {
			if err := f.Sync(); err != nil && s.err == nil {
				s.err = err
			}
		}
	}()
	return s
}

// Write writes p to the file, asking for a background sync every
// syncEvery bytes (unless one is still waiting to start).
func (s *syncer) Write(p []byte) (int, error) {
	n, err := s.f.Write(p)
	if s.written += int64(n); s.written >= syncEvery {
		s.written = 0
		select {
		case s.ask <- struct{}{}:
		default:
		}
	}
	return n, err
}

// stop ends the background syncs; later calls do nothing.
func (s *syncer) stop() {
	s.once.Do(func() {
		close(s.ask)
		<-s.done
	})
}

// sync ends the background syncs and syncs the rest, reporting any sync
// that failed.
func (s *syncer) sync() error {
	s.stop()
	if s.err != nil {
		return s.err
	}
	return s.f.Sync()
}
