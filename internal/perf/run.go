package perf

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"huicai/internal/card"
)

// RunOptions say which scales to seed and measure, one after the other.
type RunOptions struct {
	// Measure is how to measure; its DataDir and Talents are set per scale.
	Measure MeasureOptions
	// Scales are the numbers of talents.
	Scales []int
	// TempDir is where the seeded folders go ("": the system's).
	TempDir string
	// Keep keeps the seeded folders instead of removing them.
	Keep bool
}

// Run seeds an installation at each scale in a folder of its own,
// measures it and removes it, and returns every scale's rows.
func Run(ctx context.Context, opt RunOptions) ([]Row, error) {
	var rows []Row
	for _, n := range opt.Scales {
		r, err := runScale(ctx, opt, n)
		rows = append(rows, r...)
		if err != nil {
			return rows, fmt.Errorf("%d talents: %w", n, err)
		}
	}
	return rows, nil
}

// runScale seeds and measures n talents.
func runScale(ctx context.Context, opt RunOptions, n int) ([]Row, error) {
	dir, err := os.MkdirTemp(opt.TempDir, fmt.Sprintf("huicai-perf-%d-", n))
	if err != nil {
		return nil, err
	}
	if opt.Keep {
		opt.Measure.logf("keeping %s", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	data := filepath.Join(dir, "data")
	seeded, err := Seed(ctx, SeedOptions{DataDir: data, Talents: n, Log: opt.Measure.Log})
	if err != nil {
		return nil, err
	}
	rows := seedRows(seeded)
	m := opt.Measure
	m.DataDir, m.Talents = data, n
	measured, err := Measure(ctx, m)
	return append(rows, measured...), err
}

// seedRows are the rows that say what a seed made and how long it took.
func seedRows(s Seeded) []Row {
	n := s.Plan.Talents
	return []Row{
		{Section: "seed", Metric: "seeding time", Scale: n, Value: s.Elapsed.Round(time.Second).String(), Goal: "minutes at 50k"},
		{Section: "seed", Metric: "applications ready for 汇总提交 (单位审核通过)", Scale: n, Value: fmt.Sprint(s.Plan.count(card.StateUnitApproved))},
		{Section: "seed", Metric: "change requests", Scale: n, Value: fmt.Sprint(len(s.Plan.Changes))},
		{Section: "seed", Metric: "audit rows", Scale: n, Value: fmt.Sprint(s.AuditRows)},
		{Section: "seed", Metric: "stored documents (encrypted)", Scale: n, Value: fmt.Sprintf("%d files, %d MB", s.Files, s.FileBytes>>20)},
	}
}

// logf logs a progress line.
func (o MeasureOptions) logf(format string, args ...any) {
	if o.Log != nil {
		o.Log.Printf(format, args...)
	}
}
