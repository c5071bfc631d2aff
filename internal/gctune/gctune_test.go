package gctune

import (
	"runtime/debug"
	"testing"
)

// Settings like those of an export and of a sealing.
var (
	exporting = Setting{Percent: 400, Limit: 100 << 20}
	sealing   = Setting{Limit: 52 << 20}
)

// collector is the garbage collector's setting now.
func collector() Setting {
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return Setting{Percent: percent, Limit: debug.SetMemoryLimit(-1)}
}

// TestWorkPutsTheCollectorBack: the settings of exports and sealings under
// way apply together (the highest GOGC, the lowest limit), each as long as
// the work that asked for it, and the setting before comes back after the
// last.
func TestWorkPutsTheCollectorBack(t *testing.T) {
	before := Setting{Percent: 100, Limit: 1 << 40}
	debug.SetGCPercent(before.Percent)
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(before.Limit))
	export := While(exporting)
	seal := While(sealing)
	second := While(exporting)
	steps := []struct {
		name string
		end  func()
		want Setting
	}{
		{"export, sealing and export", func() {}, Setting{exporting.Percent, sealing.Limit}},
		{"the first export ended", export, Setting{exporting.Percent, sealing.Limit}},
		{"the first export ended twice", export, Setting{exporting.Percent, sealing.Limit}},
		{"the sealing ended", seal, exporting},
		{"all ended", second, before},
	}
	for _, s := range steps {
		s.end()
		if got := collector(); got != s.want {
			t.Errorf("%s: %+v, want %+v", s.name, got, s.want)
		}
	}
}

// TestTuningNeverRaisesTheCollector: GOGC off stays off and a limit lower
// than the work's stays.
func TestTuningNeverRaisesTheCollector(t *testing.T) {
	low := Setting{Percent: -1, Limit: 32 << 20}
	defer debug.SetGCPercent(debug.SetGCPercent(low.Percent))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(low.Limit))
	for _, s := range []Setting{exporting, sealing} {
		end := While(s)
		if got := collector(); got != low {
			t.Errorf("%+v over %+v: %+v", s, low, got)
		}
		end()
	}
}
