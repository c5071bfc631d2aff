package batch

import (
	"runtime/debug"
	"slices"
	"sync"
)

// gcSetting is how the garbage collector runs while some work is under
// way: GOGC at least percent (0 leaves it as it is) and the heap within
// limit (0: no limit of its own).
type gcSetting struct {
	percent int
	limit   int64
}

var (
	// While papers are made, the collector runs less often: each form
	// leaves a few megabytes of garbage (fpdf's font tables and buffers),
	// and at the default setting collecting it took a tenth of an export's
	// CPU time. The limit keeps the heap, and so the export's peak memory,
	// within bounds all the same (issue 13: ≤ 200 MB for the process).
	exportGC = gcSetting{percent: 400, limit: 100 << 20}
	// While a package is sealed the heap holds about 25 MB at 50,000
	// talents (the list of files, the zip's headers, 8 MB of buffers in
	// flight) and makes little garbage; at the default setting it grew to
	// twice that, and the process past issue 13's 100 MB. At 52 MiB it
	// collects every 0.1–0.3 s; with 4 MB more in flight, 48 MiB made it
	// collect every few milliseconds and sealing slowed by a sixth.
	sealGC = gcSetting{limit: 52 << 20}
)

// gcTuning holds the settings of the work under way, which apply together
// (the highest GOGC, the lowest limit): the first one in saves what was set
// before, the last one out puts it back.
var gcTuning struct {
	sync.Mutex
	active []gcSetting
	saved  gcSetting
}

// tuneGC applies s for as long as the work that asks for it and returns
// the function that ends it. It never turns the collector on or raises a
// limit: a GOGC of off or a smaller GOMEMLIMIT stay as they are.
func tuneGC(s gcSetting) (restore func()) {
	gcTuning.Lock()
	defer gcTuning.Unlock()
	if len(gcTuning.active) == 0 {
		gcTuning.saved.percent = debug.SetGCPercent(-1) // reads it; set again below
		gcTuning.saved.limit = debug.SetMemoryLimit(-1)
	}
	gcTuning.active = append(gcTuning.active, s)
	applyGC()
	var once sync.Once
	return func() {
		once.Do(func() {
			gcTuning.Lock()
			defer gcTuning.Unlock()
			i := slices.Index(gcTuning.active, s)
			gcTuning.active = slices.Delete(gcTuning.active, i, i+1)
			applyGC()
		})
	}
}

// applyGC sets the collector for the settings active, or back as it was
// when none is.
func applyGC() {
	percent, limit := gcTuning.saved.percent, gcTuning.saved.limit
	for _, s := range gcTuning.active {
		if percent >= 0 {
			percent = max(percent, s.percent)
		}
		if s.limit > 0 {
			limit = min(limit, s.limit)
		}
	}
	debug.SetMemoryLimit(limit)
	debug.SetGCPercent(percent)
}
