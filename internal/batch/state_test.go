package batch

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"huicai/internal/store"
)

// TestALostRaceIsAConflict moves a batch from a state it has already left
// (someone else moved it meanwhile): the guarded update changes nothing and
// must say so, not pass for a success.
func TestALostRaceIsAConflict(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), []store.Migration{{Version: 1, Name: "t: batches", Up: store.Exec(
		`CREATE TABLE batches (id INTEGER PRIMARY KEY, state TEXT NOT NULL)`,
		`INSERT INTO batches(id, state) VALUES (1, 'exported')`)}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	moveFrom := func(from, to string) error {
		return db.Tx(ctx, func(tx *sql.Tx) error { return setState(ctx, tx, 1, from, to) })
	}
	if err := moveFrom(StateDraft, StateExported); !errors.Is(err, ErrStale) {
		t.Errorf("moving from a state the batch has left: %v, want %v", err, ErrStale)
	}
	if err := moveFrom(StateExported, StateExported); err != nil {
		t.Errorf("staying in a state: %v", err)
	}
	if err := moveFrom(StateExported, StateSubmitted); err != nil {
		t.Errorf("moving from the state it is in: %v", err)
	}
	var state string
	db.QueryRow(`SELECT state FROM batches WHERE id = 1`).Scan(&state)
	if state != StateSubmitted {
		t.Errorf("state %s, want %s", state, StateSubmitted)
	}
}
