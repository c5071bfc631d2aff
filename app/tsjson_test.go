package app

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"huicai/internal/account"
	"huicai/internal/card"
	"huicai/internal/change"
	"huicai/internal/clock/clocktest"
)

// The frontend's TypeScript interfaces describe the JSON this package sends.
// TestTSJSONSamples keeps them honest: it drives the real API and compares
// each answer with a sample committed under frontend/src/api/__samples__,
// by the set of keys at every depth (values such as times differ from run to
// run). A field added or dropped in Go fails here until the samples are
// rewritten with
//
//	go test ./app/ -run TestTSJSONSamples -update
//
// and the rewritten samples then fail the frontend's api/samples.test.ts
// until the TS interfaces say the same.
var updateSamples = flag.Bool("update", false, "rewrite frontend/src/api/__samples__ from the API's answers")

const samplesDir = "../frontend/src/api/__samples__"

func TestTSJSONSamples(t *testing.T) {
	f := newRoleFixture(t)
	l, c, tt := f.tokens[account.RoleLeader], f.tokens[account.RoleCommissioner], f.tokens[account.RoleTalent]
	f.approve(t)
	changeID := sampleChange(t, f)
	batchID := sampleBatch(t, f)
	get := func(token, path string) string {
		t.Helper()
		r := call(t, f.h, "GET", path, token, "")
		if r.Status != 200 {
			t.Fatalf("GET %s: %d %s", path, r.Status, r.Raw)
		}
		return r.Raw
	}
	samples := map[string]string{
		"session":          get(l, "/api/session"),
		"home":             get(l, "/api/home"),
		"staff_list":       get(l, "/api/staff?tab=active"),
		"talent_list":      get(l, "/api/talents"),
		"talent":           get(l, fmt.Sprintf("/api/talents/%d", f.t1)),
		"my_talent":        get(tt, "/api/my/talent"),
		"application_list": get(c, "/api/applications"),
		"application":      get(c, fmt.Sprintf("/api/applications/%d", f.app)),
		"change_list":      get(c, "/api/changes"),
		"holder_list":      get(l, "/api/card-holders"),
		"change":           get(c, fmt.Sprintf("/api/changes/%d", changeID)),
		"batch_list":       get(l, "/api/batches?kind=card"),
		"batch":            get(l, fmt.Sprintf("/api/batches/%d", batchID)),
		"audit":            get(l, "/api/audit"),
	}
	for name, raw := range samples {
		checkSample(t, name, []byte(raw), keysMatch)
	}
	labels, _ := json.Marshal(map[string]map[string]string{"card": card.StateLabels, "change": change.StateLabels})
	checkSample(t, "state_labels", labels, bytes.Equal)
	choices, _ := json.Marshal(map[string][]string{"education": card.Educations, "degree": card.Degrees})
	checkSample(t, "material_choices", choices, bytes.Equal)
}

// sampleChange has the commissioner report a change for a second card
// holder (t2, bound to c1 for it), with dates relative to the clock.
func sampleChange(t *testing.T, f *roleFixture) int64 {
	l, c := f.tokens[account.RoleLeader], f.tokens[account.RoleCommissioner]
	steps := []struct{ token, method, path, body string }{
		{l, "POST", fmt.Sprintf("/api/staff/%d/talents", f.c1.ID), fmt.Sprintf(`{"talent_ids":[%d]}`, f.t2)},
		{l, "POST", "/api/cards", fmt.Sprintf(`{"talent_id":%d,"card_no":"鲁惠才2024000002","issued_on":%q}`, f.t2, clocktest.Date(-1, 0, 0))},
		{c, "POST", "/api/changes", fmt.Sprintf(`{"talent_id":%d,"change_type_id":4,"change_date":%q,"description":"到龄退休"}`, f.t2, clocktest.Date(0, 0, -10))},
	}
	var r answer
	for _, s := range steps {
		if r = call(t, f.h, s.method, s.path, s.token, s.body); r.Status != 200 {
			t.Fatalf("%s %s: %s", s.method, s.path, r.Raw)
		}
	}
	request, _ := r.Body["request"].(map[string]any)
	id, _ := request["id"].(float64)
	return int64(id)
}

// sampleBatch gathers the approved application into a batch, exports it and
// attaches the stamped scan, so that the batch shows every part.
func sampleBatch(t *testing.T, f *roleFixture) int64 {
	l := f.tokens[account.RoleLeader]
	r := call(t, f.h, "POST", "/api/batches", l, fmt.Sprintf(`{"kind":"card","item_ids":[%d],"contact_person":"张三","contact_phone":"0531-88364000"}`, f.app))
	id, _ := r.Body["id"].(float64)
	if r.Status != 200 || id == 0 {
		t.Fatalf("batch: %s", r.Raw)
	}
	base := fmt.Sprintf("/api/batches/%d", int64(id))
	if s := f.waitJob(t, call(t, f.h, "POST", base+"/export", l, "")); s["state"] != "done" {
		t.Fatalf("export: %v", s)
	}
	if s := raw(f, "POST", base+"/scan", []byte("%PDF-1.4 stamped")); s.Status != 200 {
		t.Fatalf("scan: %s", s.Raw)
	}
	return int64(id)
}

// checkSample compares got with the committed sample name.json (same
// answers same), or writes it under -update.
func checkSample(t *testing.T, name string, got []byte, same func(a, b []byte) bool) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, got, "", "  "); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	pretty.WriteByte('\n')
	path := filepath.Join(samplesDir, name+".json")
	if *updateSamples {
		if err := os.MkdirAll(samplesDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v (write the samples with -update)", name, err)
	}
	if !same(want, pretty.Bytes()) {
		t.Errorf("%s: the API's answer no longer has the shape of %s: rewrite it with -update and bring the TS types along\ngot:\n%s", name, path, pretty.Bytes())
	}
}

// keysMatch says whether two JSON documents have the same keys at every depth.
func keysMatch(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(shape(x), shape(y))
}

// shape is a JSON value's keys at every depth: an object maps each key to
// the shape of its value, an array is the merged shape of its elements, and
// anything else (including null) is nil.
func shape(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			out[k] = shape(e)
		}
		return out
	case []any:
		var merged any
		for _, e := range v {
			merged = merge(merged, shape(e))
		}
		return []any{merged}
	}
	return nil
}

// merge is the union of two shapes (the keys of every element of an array).
func merge(a, b any) any {
	if as, ok := a.([]any); ok {
		if bs, ok := b.([]any); ok {
			return []any{merge(as[0], bs[0])}
		}
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if !aok || !bok {
		if a != nil {
			return a
		}
		return b
	}
	out := maps.Clone(am)
	for k, v := range bm {
		out[k] = merge(out[k], v)
	}
	return out
}
