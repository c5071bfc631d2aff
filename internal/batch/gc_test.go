package batch

import (
	"runtime/debug"
	"testing"
)

// TestExportsPutTheCollectorBack: the setting for making papers lasts as
// long as the last export that overlaps it, and the one before comes back.
func TestExportsPutTheCollectorBack(t *testing.T) {
	before, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	defer debug.SetGCPercent(before)
	first := tuneGCForExport()
	second := tuneGCForExport()
	if p := debug.SetGCPercent(-1); p != exportGCPercent {
		t.Errorf("during an export: GOGC %d", p)
	} else {
		debug.SetGCPercent(p)
	}
	if l := debug.SetMemoryLimit(-1); l != exportMemLimit {
		t.Errorf("during an export: limit %d", l)
	}
	first()
	first() // twice changes nothing
	if p := debug.SetGCPercent(-1); p != exportGCPercent {
		t.Errorf("with the second export still running: GOGC %d", p)
	} else {
		debug.SetGCPercent(p)
	}
	second()
	if p := debug.SetGCPercent(100); p != 100 {
		t.Errorf("after the exports: GOGC %d, want 100", p)
	}
	if l := debug.SetMemoryLimit(-1); l != limit {
		t.Errorf("after the exports: limit %d, want %d", l, limit)
	}
}
