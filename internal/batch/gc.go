package batch

import "huicai/internal/gctune"

// The garbage collector's settings while papers are made and while a
// package is sealed (see gctune.While).
var (
	// While papers are made, the collector runs less often: each form
	// leaves a few megabytes of garbage (fpdf's font tables and buffers),
	// and at the default setting collecting it took a tenth of an export's
	// CPU time. The limit keeps the heap, and so the export's peak memory,
	// within bounds all the same (issue 13: ≤ 200 MB for the process).
	exportGC = gctune.Setting{Percent: 400, Limit: 100 << 20}
	// While a package is sealed the heap holds about 25 MB at 50,000
	// talents (the list of files, the zip's headers, 8 MB of buffers in
	// flight) and makes little garbage; at the default setting it grew to
	// twice that, and the process past issue 13's 100 MB. At 52 MiB it
	// collects every 0.1–0.3 s; with 4 MB more in flight, 48 MiB made it
	// collect every few milliseconds and sealing slowed by a sixth.
	sealGC = gctune.Setting{Limit: 52 << 20}
)
