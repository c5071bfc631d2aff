package files

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// Group is documents kept without their syncs (Pending.KeepIn), made
// durable together by Sync. An export of thousands of papers syncs once
// at its end instead of twice for every paper, which held each writer up
// on the disk.
type Group struct {
	store *Store
	mu    sync.Mutex
	paths []string
}

// NewGroup starts a group of documents kept in s.
func (s *Store) NewGroup() *Group { return &Group{store: s} }

func (g *Group) add(path string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.paths = append(g.paths, path)
}

// Sync puts every document kept in g, and its place in the store, on disk.
// Call it after the last KeepIn and before recording any of them.
func (g *Group) Sync() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.paths) == 0 {
		return nil
	}
	if err := syncAll(g.store.dir, g.paths); err != nil {
		return fmt.Errorf("files: sync: %w", err)
	}
	g.paths = nil
	return nil
}

// syncEach syncs files, a few at once (a disk takes several syncs in one
// go), and then each of their folders once.
func syncEach(files []string) error {
	dirs := map[string]bool{}
	for _, f := range files {
		dirs[filepath.Dir(f)] = true
	}
	work := make(chan string)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for f := range work {
				if err := syncFile(f); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	for d := range dirs {
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
