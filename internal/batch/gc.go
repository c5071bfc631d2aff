package batch

import (
	"runtime/debug"
	"sync"
)

// While papers are made, the garbage collector runs less often: each form
// leaves a few megabytes of garbage (fpdf's font tables and buffers), and
// at the default setting collecting it took a tenth of an export's CPU
// time. A memory limit keeps the heap, and so the export's peak memory,
// within bounds all the same (issue 13: ≤ 200 MB for the process).
const (
	exportGCPercent = 400
	exportMemLimit  = 100 << 20
)

// gcTuning counts the exports under way, which share one setting: the
// first sets it, the last puts back what was there before.
var gcTuning struct {
	sync.Mutex
	users   int
	percent int
	limit   int64
}

// tuneGCForExport sets the collector for making papers and returns the
// function that undoes it. It only ever collects less often and caps the
// heap lower: a GOGC of off or a smaller GOMEMLIMIT stay as they are.
func tuneGCForExport() (restore func()) {
	gcTuning.Lock()
	defer gcTuning.Unlock()
	if gcTuning.users == 0 {
		gcTuning.percent = debug.SetGCPercent(-1) // reads it; set again below
		gcTuning.limit = debug.SetMemoryLimit(-1)
		percent := gcTuning.percent
		if percent >= 0 {
			percent = max(percent, exportGCPercent)
		}
		debug.SetMemoryLimit(min(gcTuning.limit, exportMemLimit))
		debug.SetGCPercent(percent)
	}
	gcTuning.users++
	var once sync.Once
	return func() {
		once.Do(func() {
			gcTuning.Lock()
			defer gcTuning.Unlock()
			if gcTuning.users--; gcTuning.users == 0 {
				debug.SetGCPercent(gcTuning.percent)
				debug.SetMemoryLimit(gcTuning.limit)
			}
		})
	}
}
