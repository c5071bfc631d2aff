package flow

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"huicai/internal/store"
)

// Step statuses, drawn blue (done), red (current) and black (todo).
const (
	Done    = "done"
	Current = "current"
	Todo    = "todo"
)

// Step is one step of an item's 审核流程 as the UI draws it.
type Step struct {
	Name    string `json:"name"`
	Status  string `json:"status"`
	At      string `json:"at,omitempty"`
	By      string `json:"by,omitempty"`
	Opinion string `json:"opinion,omitempty"`
}

// Event is what a finished step shows: when, who and their opinion.
type Event struct {
	At      string
	By      string
	Opinion string
}

// Steps draws names with the steps before current done (using the event
// recorded for each, if any), current in progress and the rest not yet
// reached. current == len(names) means every step is done; stopped means
// the item ended at current (withdrawn, deleted), so nothing is in progress.
func Steps(names []string, current int, stopped bool, events map[int]Event) []Step {
	out := make([]Step, len(names))
	for i, n := range names {
		s := Step{Name: n, Status: Todo}
		switch {
		case i < current:
			s.Status = Done
			if e, ok := events[i]; ok {
				s.At, s.By, s.Opinion = e.At, e.By, e.Opinion
			}
		case i == current && !stopped:
			s.Status = Current
		}
		out[i] = s
	}
	return out
}

// Record is one recorded event of an item's history.
type Record struct {
	Action      string `json:"action"`
	ActionLabel string `json:"action_label"`
	FromState   string `json:"from_state"`
	ToState     string `json:"to_state"`
	UserName    string `json:"user_name"`
	Role        string `json:"role"`
	Opinion     string `json:"opinion"`
	At          string `json:"at"`
}

// History reads an item's events, oldest first, from the events table the
// calling area owns (columns: action, from_state, to_state, user_name,
// role, opinion, at, and itemColumn naming the item).
func History(ctx context.Context, q store.Querier, table, itemColumn string, id int64, labels map[string]string) ([]Record, error) {
	rows, err := q.QueryContext(ctx, `SELECT action, from_state, to_state, user_name, role, opinion, at FROM `+table+
		` WHERE `+itemColumn+` = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("flow: history from %s: %w", table, err)
	}
	defer rows.Close()
	out := []Record{}
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.Action, &r.FromState, &r.ToState, &r.UserName, &r.Role, &r.Opinion, &r.At); err != nil {
			return nil, err
		}
		r.ActionLabel = labels[r.Action]
		out = append(out, r)
	}
	return out, rows.Err()
}

// Draw draws the steps of an item at step current (stopped there, if it
// ended early) from its history: each event whose action stepOf names fills
// in that step's time, person and opinion (the latest wins), and the last
// step (办结) shows the event that finished the one before it.
func Draw(names []string, current int, stopped bool, history []Record, stepOf map[string]int) []Step {
	events := map[int]Event{}
	for _, r := range history {
		if i, ok := stepOf[r.Action]; ok {
			events[i] = Event{At: r.At, By: r.UserName, Opinion: r.Opinion}
		}
	}
	last := len(names) - 1
	if e, ok := events[last-1]; ok {
		if _, own := events[last]; !own {
			events[last] = e
		}
	}
	return Steps(names, current, stopped, events)
}

// ReviewFlow is the steps of a kind's 审核流程 (review flow) and where its
// states stand.
type ReviewFlow struct {
	// Steps name the steps in order.
	Steps []string
	// At is the step each state is at; len(Steps) means every step is done.
	At map[string]int
	// Stopped are the states in which an item ended early (withdrawn,
	// deleted): nothing is in progress.
	Stopped []string
	// StepOf says which step's time, person and opinion an action fills in.
	StepOf map[string]int
}

// Draw draws the steps of an item in state from its history.
func (r ReviewFlow) Draw(state string, history []Record) []Step {
	return Draw(r.Steps, r.At[state], slices.Contains(r.Stopped, state), history, r.StepOf)
}

// Current names the step an item in state is at, as lists show it
// (当前环节): 已终止 once stopped, 办结 once every step is done.
func (r ReviewFlow) Current(state string) string {
	switch i := r.At[state]; {
	case slices.Contains(r.Stopped, state):
		return "已终止"
	case i < len(r.Steps):
		return r.Steps[i]
	}
	return "办结"
}

// History reads an item's events, oldest first.
func (w Workflow) History(ctx context.Context, q store.Querier, id int64) ([]Record, error) {
	return History(ctx, q, w.Events, w.ItemColumn, id, w.Labels)
}

// Latest is the opinion of the newest event with one of actions ("" if none).
func Latest(history []Record, actions ...string) string {
	for i := len(history) - 1; i >= 0; i-- {
		for _, a := range actions {
			if history[i].Action == a {
				return history[i].Opinion
			}
		}
	}
	return ""
}

// ProvinceActor names who acts in events the province's receipt brings
// (the leader only imported it).
func ProvinceActor(importer string) string {
	return "省级审核（回执由" + importer + "导入）"
}

// EventsTable is the statements creating an area's events table, which
// History reads and Append writes: table, whose itemColumn names an item
// of the table items, and its index on itemColumn.
func EventsTable(table, itemColumn, items string) []string {
	return []string{`CREATE TABLE ` + table + ` (
			id INTEGER PRIMARY KEY,
			` + itemColumn + ` INTEGER NOT NULL REFERENCES ` + items + `(id),
			action TEXT NOT NULL,
			from_state TEXT NOT NULL,
			to_state TEXT NOT NULL,
			user_id INTEGER NOT NULL,
			user_name TEXT NOT NULL,
			role TEXT NOT NULL,
			opinion TEXT NOT NULL,
			at TEXT NOT NULL
		)`,
		`CREATE INDEX ` + table + `_` + strings.TrimSuffix(itemColumn, "_id") + ` ON ` + table + `(` + itemColumn + `)`}
}

// Append records an event of item id in the calling area's events table
// inside tx; userID is who acted.
func Append(ctx context.Context, tx *sql.Tx, table, itemColumn string, id, userID int64, r Record) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO `+table+`(`+itemColumn+`, action, from_state, to_state, user_id, user_name,
		role, opinion, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, r.Action, r.FromState, r.ToState, userID, r.UserName,
		r.Role, r.Opinion, r.At)
	if err != nil {
		return fmt.Errorf("flow: record in %s: %w", table, err)
	}
	return nil
}
