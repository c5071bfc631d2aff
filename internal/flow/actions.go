package flow

import (
	"encoding/json"
	"slices"
)

// Actions are the action codes the current user may take on an item now,
// as the server tells the UI. They encode as a JSON array, never null.
type Actions []string

// MarshalJSON writes no actions as [].
func (a Actions) MarshalJSON() ([]byte, error) {
	if a == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]string(a))
}

// Only keeps the actions among codes, in their order.
func (a Actions) Only(codes ...string) Actions {
	out := Actions{}
	for _, c := range a {
		if slices.Contains(codes, c) {
			out = append(out, c)
		}
	}
	return out
}

// Actions lists the actions role may take from state, in the table's
// order, each once.
func (m Machine) Actions(state, role string) Actions {
	out := Actions{}
	for _, r := range m {
		if r.From == state && r.Role == role && !slices.Contains(out, r.Action) {
			out = append(out, r.Action)
		}
	}
	return out
}
