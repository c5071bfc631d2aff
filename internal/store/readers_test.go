package store

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"
)

// TestReadsDoNotQueueBehindTheWriter holds a write transaction open and
// reads from several goroutines meanwhile: with one connection for
// everything, each read waited for the writer (here: until its deadline).
// The reads see what was committed before, not the open transaction.
func TestReadsDoNotQueueBehindTheWriter(t *testing.T) {
	db, err := Open(ctx, t.TempDir(), testMigrations())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `INSERT INTO things(id, label) VALUES (1, 'committed')`); err != nil {
		t.Fatal(err)
	}
	inTx, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE things SET label = 'open' WHERE id = 1`); err != nil {
				return err
			}
			close(inTx)
			<-release
			return nil
		})
	}()
	<-inTx
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			// Generous: a read takes microseconds; the deadline only turns
			// a read stuck behind the writer into a failure.
			rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			var label string
			if err := db.QueryRowContext(rctx, `SELECT label FROM things WHERE id = 1`).Scan(&label); err != nil {
				t.Errorf("read during a write transaction: %v", err)
			} else if label != "committed" {
				t.Errorf("read %q during the write, want the committed %q", label, "committed")
			}
		})
	}
	wg.Wait()
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var label string
	if err := db.QueryRowContext(ctx, `SELECT label FROM things WHERE id = 1`).Scan(&label); err != nil || label != "open" {
		t.Errorf("after commit: %q, %v; want %q", label, err, "open")
	}
}

// TestReadersRefuseWrites: a write sent down the read path fails instead of
// racing the single writer.
func TestReadersRefuseWrites(t *testing.T) {
	db, err := Open(ctx, t.TempDir(), testMigrations())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := insertThroughReaders(db); err == nil {
		t.Fatal("a write through the read-only pool was accepted")
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM things`).Scan(&n); err != nil || n != 0 {
		t.Errorf("things: %d, %v; want 0", n, err)
	}
}

// insertThroughReaders sends an INSERT down the read path.
func insertThroughReaders(db *DB) error {
	rows, err := db.QueryContext(ctx, `INSERT INTO things(id) VALUES (7) RETURNING id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// TestReleaseMemoryClosesIdleReaders: the idle readers, and their caches,
// are gone; the pool opens readers again and keeps them idle as before.
func TestReleaseMemoryClosesIdleReaders(t *testing.T) {
	db, err := Open(ctx, t.TempDir(), testMigrations())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	read := func() {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM things`).Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	read()
	if idle := db.read.Stats().Idle; idle != 1 {
		t.Fatalf("%d idle readers after a read, want 1", idle)
	}
	if err := db.ReleaseMemory(ctx); err != nil {
		t.Fatal(err)
	}
	if st := db.read.Stats(); st.Idle != 0 || st.MaxIdleClosed != 1 {
		t.Errorf("after ReleaseMemory: %d idle, %d closed; want 0 and 1", st.Idle, st.MaxIdleClosed)
	}
	read()
	if idle := db.read.Stats().Idle; idle != 1 {
		t.Errorf("%d idle readers after the next read, want 1", idle)
	}
}
