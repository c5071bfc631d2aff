package flow

import "slices"

// Waiting narrows the states a list asked for to those waiting for its
// viewer (todo: the viewer's to-do states) when the list asks for its
// to-dos (待我处理); none asked for means all of them. A list asking for
// to-dos that are none of its states, or a viewer with no to-dos, selects
// nothing: the answer names a state no row is in.
func Waiting(states []string, only bool, todo []string) []string {
	if !only {
		return states
	}
	var out []string
	for _, s := range todo {
		if len(states) == 0 || slices.Contains(states, s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return []string{"(none)"}
	}
	return out
}
