package perf

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// progressEvery is how often a long step logs how far it got.
const progressEvery = 10 * time.Second

// each runs fn for 0 … n-1 on s.workers goroutines and stops at the first
// error. The database takes one writer at a time; the workers overlap what
// each step does outside its transaction (checks, hashes, encryption,
// files) with the others' writes, so that both cores work.
func (s *seeder) each(step string, n int, fn func(i int) error) error {
	start := time.Now()
	ctx, cancel := context.WithCancelCause(s.ctx)
	defer cancel(nil)
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for range min(s.workers, max(n, 1)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				if err := fn(i); err != nil {
					cancel(fmt.Errorf("%s %d: %w", step, i, err))
					return
				}
				done.Add(1)
			}
		})
	}
	stop := s.report(step, n, &done)
	wg.Wait()
	stop()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	s.logf("%s: %d in %s", step, n, time.Since(start).Round(time.Millisecond))
	return nil
}

// report logs how far a step got every progressEvery until stopped.
func (s *seeder) report(step string, n int, done *atomic.Int64) (stop func()) {
	quit := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				s.logf("%s: %d/%d", step, done.Load(), n)
			}
		}
	}()
	return func() { close(quit); <-ended }
}

// chunks cuts ids into runs of at most size.
func chunks(ids []int64, size int) [][]int64 {
	var out [][]int64
	for len(ids) > 0 {
		k := min(size, len(ids))
		out = append(out, ids[:k])
		ids = ids[k:]
	}
	return out
}
