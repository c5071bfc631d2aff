package batch

import (
	"runtime/debug"
	"testing"
)

// collector is the garbage collector's setting now.
func collector() gcSetting {
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return gcSetting{percent: percent, limit: debug.SetMemoryLimit(-1)}
}

// TestWorkPutsTheCollectorBack: the settings of exports and sealings under
// way apply together (the highest GOGC, the lowest limit), each as long as
// the work that asked for it, and the setting before comes back after the
// last.
func TestWorkPutsTheCollectorBack(t *testing.T) {
	before := gcSetting{percent: 100, limit: 1 << 40}
	debug.SetGCPercent(before.percent)
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(before.limit))
	export := tuneGC(exportGC)
	seal := tuneGC(sealGC)
	second := tuneGC(exportGC)
	steps := []struct {
		name string
		end  func()
		want gcSetting
	}{
		{"export, sealing and export", func() {}, gcSetting{exportGC.percent, sealGC.limit}},
		{"the first export ended", export, gcSetting{exportGC.percent, sealGC.limit}},
		{"the first export ended twice", export, gcSetting{exportGC.percent, sealGC.limit}},
		{"the sealing ended", seal, exportGC},
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
	low := gcSetting{percent: -1, limit: 32 << 20}
	defer debug.SetGCPercent(debug.SetGCPercent(low.percent))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(low.limit))
	for _, s := range []gcSetting{exportGC, sealGC} {
		restore := tuneGC(s)
		if got := collector(); got != low {
			t.Errorf("%+v over %+v: %+v", s, low, got)
		}
		restore()
	}
}
