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
// as hashing it. Where the system allows it (see openDirect), whole
// aligned blocks bypass the system's file cache: copying a package of a
// gigabyte or more into the cache cost the other core 1.3 s at 50k and
// slowed the SM3 beside it (BenchmarkWriteStoredFiles: 300 MB/s, 335
// direct, 360 with no file written at all); a package is written once and
// read again, if at all, much later. The rest goes through the cache.
type syncer struct {
	f       *os.File
	direct  *os.File // f opened again for direct writes; nil when not
	at      int64    // where the next write goes
	written int64    // since the last background sync was asked for
	ask     chan struct{}
	done    chan struct{}
	once    sync.Once
	err     error // the first background sync that failed; read after done
}

func newSyncer(f *os.File) *syncer {
	s := &syncer{f: f, ask: make(chan struct{}, 1), done: make(chan struct{})}
	s.direct, _ = openDirect(f.Name())
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

// Write writes p to the file, directly when it is whole aligned blocks
// (as the spool's full pieces are), asking for a background sync every
// syncEvery bytes (unless one is still waiting to start). A direct write
// that fails before writing anything (a file system that refuses them) is
// made through the cache, as is every later one: a failure of the disk
// itself fails there too.
func (s *syncer) Write(p []byte) (int, error) {
	n, err, direct := 0, error(nil), s.direct != nil && aligned(p) && s.at%directBlock == 0
	if direct {
		if n, err = s.direct.WriteAt(p, s.at); n == 0 && err != nil {
			s.direct.Close()
			s.direct, direct = nil, false
		}
	}
	if !direct {
		n, err = s.f.WriteAt(p, s.at)
	}
	s.at += int64(n)
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
		if s.direct != nil {
			s.direct.Close()
		}
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
