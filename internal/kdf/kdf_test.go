package kdf

import (
	"bytes"
	"errors"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

var cheap = Params{MemoryKiB: 1024, Time: 1, Threads: 1}

func TestIDKeyIsArgon2id(t *testing.T) {
	got, err := IDKey([]byte("pw"), []byte("salt-salt-salt!!"), cheap, 32)
	if err != nil {
		t.Fatal(err)
	}
	if want := argon2.IDKey([]byte("pw"), []byte("salt-salt-salt!!"), 1, 1024, 1, 32); !bytes.Equal(got, want) {
		t.Fatal("IDKey differs from argon2.IDKey")
	}
}

func TestParallelDerivationsRunAtMostSlotsAtOnce(t *testing.T) {
	pl := newPool(2)
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := pl.idKey([]byte("pw"), []byte("salt-salt-salt!!"), cheap, 32); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if pl.peak != 2 {
		t.Fatalf("peak concurrency %d, want 2", pl.peak)
	}
	if pl.active != 0 || pl.waiting != 0 {
		t.Fatalf("left active %d waiting %d", pl.active, pl.waiting)
	}
}

func TestTooManyWaitingAreRefusedAsBusy(t *testing.T) {
	pl := newPool(1)
	pl.run <- struct{}{} // the one slot is taken
	oldMax, oldWait := maxWaiting, maxWait
	maxWaiting, maxWait = 3, time.Hour
	defer func() { maxWaiting, maxWait = oldMax, oldWait }()
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() { defer wg.Done(); pl.acquire(); pl.release() }()
	}
	for {
		pl.mu.Lock()
		w := pl.waiting
		pl.mu.Unlock()
		if w == 3 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if err := pl.acquire(); !errors.Is(err, ErrBusy) {
		t.Fatalf("fourth waiter: %v, want busy", err)
	}
	<-pl.run // free the slot: the three waiters run in turn
	wg.Wait()
}

func TestWaitingTooLongIsBusy(t *testing.T) {
	pl := newPool(1)
	pl.run <- struct{}{}
	old := maxWait
	maxWait = 20 * time.Millisecond
	defer func() { maxWait = old }()
	if err := pl.acquire(); !errors.Is(err, ErrBusy) {
		t.Fatalf("got %v, want busy", err)
	}
	if pl.waiting != 0 {
		t.Fatalf("waiting = %d after giving up", pl.waiting)
	}
}
