package files

import (
	"path/filepath"
	"testing"
)

// TestAGroupReportsAFailedSync: a document whose sync fails (here, gone
// before it) makes Sync fail, so nothing records it.
func TestAGroupReportsAFailedSync(t *testing.T) {
	g := NewStore(t.TempDir()).NewGroup()
	defer g.Close()
	g.add(filepath.Join(t.TempDir(), "gone"))
	if err := g.Sync(); err == nil {
		t.Error("a failed sync went unreported")
	}
	g.Close() // after Sync, nothing
}
