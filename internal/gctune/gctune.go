// Package gctune sets the garbage collector for work that runs better with
// another setting than the rest of the program (exports, sealing a
// package), for as long as that work runs. Settings of work under way at
// once apply together.
package gctune

import (
	"runtime/debug"
	"slices"
	"sync"
)

// Setting is how the garbage collector runs while some work is under way:
// GOGC at least Percent (0 leaves it as it is) and the heap within Limit
// bytes (0: no limit of its own).
type Setting struct {
	Percent int
	Limit   int64
}

// tuning holds the settings of the work under way, which apply together
// (the highest GOGC, the lowest limit): the first one in saves what was
// set before, the last one out puts it back.
var tuning struct {
	sync.Mutex
	active []Setting
	saved  Setting
}

// While applies s for as long as the work that asks for it and returns
// the function that ends it (calling it again does nothing). It never
// turns the collector on or raises a limit: a GOGC of off or a smaller
// GOMEMLIMIT stay as they are.
func While(s Setting) (end func()) {
	tuning.Lock()
	defer tuning.Unlock()
	if len(tuning.active) == 0 {
		tuning.saved.Percent = debug.SetGCPercent(-1) // reads it; set again below
		tuning.saved.Limit = debug.SetMemoryLimit(-1)
	}
	tuning.active = append(tuning.active, s)
	apply()
	var once sync.Once
	return func() {
		once.Do(func() {
			tuning.Lock()
			defer tuning.Unlock()
			i := slices.Index(tuning.active, s)
			tuning.active = slices.Delete(tuning.active, i, i+1)
			apply()
		})
	}
}

// apply sets the collector for the settings active, or back as it was
// when none is.
func apply() {
	percent, limit := tuning.saved.Percent, tuning.saved.Limit
	for _, s := range tuning.active {
		if percent >= 0 {
			percent = max(percent, s.Percent)
		}
		if s.Limit > 0 {
			limit = min(limit, s.Limit)
		}
	}
	debug.SetMemoryLimit(limit)
	debug.SetGCPercent(percent)
}
