package flow

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
// reached. current == len(names) means every step is done.
func Steps(names []string, current int, events map[int]Event) []Step {
	out := make([]Step, len(names))
	for i, n := range names {
		s := Step{Name: n, Status: Todo}
		switch {
		case i < current:
			s.Status = Done
			if e, ok := events[i]; ok {
				s.At, s.By, s.Opinion = e.At, e.By, e.Opinion
			}
		case i == current:
			s.Status = Current
		}
		out[i] = s
	}
	return out
}
