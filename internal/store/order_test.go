package store

import (
	"strings"
	"testing"

	"huicai/internal/apperr"
)

func TestOrderBy(t *testing.T) {
	o := Order{Default: "a.updated_at DESC, a.id DESC", Keys: map[string]string{"name": "t.name", "state": "a.state, a.updated_at"}, Tie: "a.id"}
	for sort, want := range map[string]string{
		"": "a.updated_at DESC, a.id DESC", "name": "t.name ASC, a.id ASC", "-state": "a.state DESC, a.updated_at DESC, a.id DESC",
	} {
		if got, err := o.By(sort); err != nil || got != want {
			t.Errorf("By(%q) = %q, %v; want %q", sort, got, err, want)
		}
	}
	for _, bad := range []string{"id_number", "name; DROP TABLE talents", "--name", "Name"} {
		_, err := o.By(bad)
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.CodeValidation || !strings.Contains(e.Fields["sort"], "name、state") {
			t.Errorf("By(%q): %v; want a validation error listing name、state", bad, err)
		}
	}
}
