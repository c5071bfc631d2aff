package flow

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"huicai/internal/audit"
	"huicai/internal/store"
)

// Workflow is how one kind of item moves through its machine: the table of
// its items (with id, state, version and updated_at), the table of its
// events, and the words its refusals and audit rows use.
type Workflow struct {
	Machine Machine
	// Items is the items' table; Events the events' table, whose
	// ItemColumn names the item.
	Items, Events, ItemColumn string
	// Labels name the actions in the history and the audit log;
	// Unlabelled names in the audit log an action without a label.
	Labels     map[string]string
	Unlabelled string
	// Province are the actions the province's receipt brings: their
	// events name the province, through the leader who imported it.
	Province []string
	// Refused is the error for an action the machine does not allow in the
	// state an item is in (named as the UI names it).
	Refused func(stateLabel string) error
	// Stale is the error for an action based on an outdated version.
	Stale error
	// ReviewFlow is how the item's 审核流程 is drawn.
	ReviewFlow ReviewFlow
}

// Transition is one action on an item by one user.
type Transition struct {
	ID int64
	// State is the item's state, StateLabel as the UI names it; Version is
	// the version the user saw.
	State, StateLabel string
	Version           int
	Action            string
	// By is who acts, as the audit log records them; ByName their name.
	By     audit.Actor
	ByName string
	// Opinion goes into the history and the audit row (审核意见,
	// 不通过原因, a card number issued).
	Opinion string
	// Object names the item in the audit log.
	Object string
}

// Move carries out transition s inside tx: it looks up the state the action leads
// to, moves the item there if it still has the version the user saw,
// bumping it, and records the event and the audit row. It returns the new
// state.
func (w Workflow) Move(ctx context.Context, tx *sql.Tx, s Transition) (string, error) {
	to, ok := w.Machine.Next(s.State, s.Action, s.By.Role)
	if !ok {
		return "", w.Refused(s.StateLabel)
	}
	now := store.Now()
	res, err := tx.ExecContext(ctx, `UPDATE `+w.Items+` SET state = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ?`, to, now, s.ID, s.Version)
	if err != nil {
		return "", fmt.Errorf("flow: move in %s: %w", w.Items, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return "", fmt.Errorf("flow: move in %s: %w", w.Items, err)
	}
	if n == 0 {
		return "", w.Stale
	}
	return to, w.Record(ctx, tx, s, to, now)
}

// Record writes what transition s did, moving the item to state to at time at:
// its event (when the state changed) and its audit row, inside tx.
func (w Workflow) Record(ctx context.Context, tx *sql.Tx, s Transition, to, at string) error {
	if to != s.State {
		name := s.ByName
		if slices.Contains(w.Province, s.Action) {
			name = ProvinceActor(s.ByName)
		}
		if err := Append(ctx, tx, w.Events, w.ItemColumn, s.ID, s.By.UserID, Record{Action: s.Action, FromState: s.State,
			ToState: to, UserName: name, Role: s.By.Role, Opinion: s.Opinion, At: at}); err != nil {
			return err
		}
	}
	label := w.Labels[s.Action]
	if label == "" {
		label = w.Unlabelled
	}
	return audit.Append(ctx, tx, audit.Entry{Actor: s.By, Action: label, Object: s.Object, Outcome: audit.OK, Detail: s.Opinion})
}
