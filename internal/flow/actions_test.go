package flow_test

import (
	"encoding/json"
	"strings"
	"testing"

	"huicai/internal/flow"
)

var machine = flow.Machine{
	{From: "draft", Action: "save", Role: "clerk", To: "draft"},
	{From: "draft", Action: "submit", Role: "clerk", To: "review"},
	{From: "review", Action: "approve", Role: "boss", To: "done"},
	{From: "review", Action: "reject", Role: "boss", To: "draft"},
	{From: "review", Action: "approve", Role: "boss", To: "done"},
}

func TestActionsFollowTheMachine(t *testing.T) {
	cases := []struct{ state, role, want string }{
		{"draft", "clerk", "save,submit"},
		{"draft", "boss", ""},
		{"review", "boss", "approve,reject"},
		{"done", "boss", ""},
	}
	for _, c := range cases {
		if got := strings.Join(machine.Actions(c.state, c.role), ","); got != c.want {
			t.Errorf("%s by %s: %s, want %s", c.state, c.role, got, c.want)
		}
	}
	if got := strings.Join(machine.Actions("review", "boss").Only("reject", "save"), ","); got != "reject" {
		t.Errorf("Only: %s", got)
	}
}

func TestActionsAreNeverNullInJSON(t *testing.T) {
	var item struct {
		Actions flow.Actions `json:"actions"`
	}
	for _, a := range []flow.Actions{nil, {}, machine.Actions("done", "boss")} {
		item.Actions = a
		if out, _ := json.Marshal(item); string(out) != `{"actions":[]}` {
			t.Errorf("%#v encodes as %s", a, out)
		}
	}
	item.Actions = machine.Actions("draft", "clerk")
	if out, _ := json.Marshal(item); string(out) != `{"actions":["save","submit"]}` {
		t.Errorf("encodes as %s", out)
	}
}

func TestReviewFlowNamesTheCurrentStep(t *testing.T) {
	r := flow.ReviewFlow{Steps: []string{"申请", "审核", "办结"}, At: map[string]int{"draft": 0, "review": 1, "done": 3, "withdrawn": 1},
		Stopped: []string{"withdrawn"}}
	for state, want := range map[string]string{"draft": "申请", "review": "审核", "done": "办结", "withdrawn": "已终止"} {
		if got := r.Current(state); got != want {
			t.Errorf("%s: %s, want %s", state, got, want)
		}
	}
	steps := r.Draw("withdrawn", nil)
	if steps[0].Status != flow.Done || steps[1].Status != flow.Todo {
		t.Errorf("a stopped item has something in progress: %+v", steps)
	}
}
