package files

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Group is documents kept without waiting for their syncs
// (Pending.KeepIn): each is synced in the background as soon as it is in
// place, while the next ones are made, and Sync waits for the last. An
// export of thousands of papers thus never holds a writer up on the disk,
// and syncs only its own files (a sync of the whole file system would
// wait for whatever else is being written there).
type Group struct {
	todo    chan string
	done    sync.WaitGroup
	stopped sync.Once
	mu      sync.Mutex
	err     error           // the first sync that failed
	dirs    map[string]bool // the folders to sync at the end
}

// groupSyncers is how many syncs a group has under way at once: a disk
// takes several in one go.
const groupSyncers = 4

// NewGroup starts a group of documents kept in s. Call Close when done
// with it (after Sync it does nothing).
func (s *Store) NewGroup() *Group {
	g := &Group{todo: make(chan string, 256), dirs: map[string]bool{}}
	for range groupSyncers {
		g.done.Go(func() {
			for path := range g.todo {
				g.note(syncFile(path))
			}
		})
	}
	return g
}

// add queues a kept document's sync.
func (g *Group) add(path string) {
	g.mu.Lock()
	g.dirs[filepath.Dir(path)] = true
	g.mu.Unlock()
	g.todo <- path
}

func (g *Group) note(err error) {
	if err == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err == nil {
		g.err = err
	}
}

// Close stops the group's syncing, waiting for the syncs under way.
func (g *Group) Close() {
	g.stopped.Do(func() {
		close(g.todo)
		g.done.Wait()
	})
}

// Sync waits until every document kept in g, and its place in the store,
// is on disk. Call it after the last KeepIn and before recording any of
// them; no KeepIn may follow.
func (g *Group) Sync() error {
	g.Close()
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err != nil {
		return fmt.Errorf("files: sync: %w", g.err)
	}
	for d := range g.dirs {
		_ = syncDir(d) // never fails: not every file system syncs folders
	}
	return nil
}

// syncFile syncs a file already closed. It opens it for writing, as
// Windows syncs (FlushFileBuffers) only through such a handle.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
