// Package flow holds the one shape every workflow in the application takes:
// a table of (state, action, role) → next state. The backend looks every
// transition up here; anything not in the table is refused.
package flow

// Rule is one allowed transition.
type Rule struct {
	From   string
	Action string
	Role   string
	To     string
}

// Machine is a workflow's complete transition table.
type Machine []Rule

// Next returns the state that action by role leads to from state from, and
// whether the table allows it at all.
func (m Machine) Next(from, action, role string) (string, bool) {
	for _, r := range m {
		if r.From == from && r.Action == action && r.Role == role {
			return r.To, true
		}
	}
	return "", false
}

// Allows reports whether action by role is allowed from state from.
func (m Machine) Allows(from, action, role string) bool {
	_, ok := m.Next(from, action, role)
	return ok
}
