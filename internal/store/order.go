package store

import (
	"slices"
	"strings"

	"huicai/internal/apperr"
)

// Order is how a list may be sorted: the sort keys it offers, each naming
// the column (or expression) it sorts by, and the order it has when no key
// is asked for. Every key must have an index that gives its order, so that a
// sorted page costs no more than the default one.
type Order struct {
	// Default is the ORDER BY of the list when no sort is asked for.
	Default string
	// Keys maps each sort key the API accepts to its columns, comma
	// separated (such as "a.state, a.updated_at": rows of one state latest
	// first, as the state index holds them).
	Keys map[string]string
	// Tie is the unique column that orders rows equal in the sort key, in
	// the same direction (such as a.id).
	Tie string
}

// By returns the ORDER BY for sort: "" is the default order, "key" sorts by
// key ascending and "-key" descending. Any other key is refused with the
// list of keys the list offers.
func (o Order) By(sort string) (string, error) {
	if sort == "" {
		return o.Default, nil
	}
	key, dir := sort, " ASC"
	if rest, ok := strings.CutPrefix(sort, "-"); ok {
		key, dir = rest, " DESC"
	}
	column, ok := o.Keys[key]
	if !ok {
		return "", apperr.InvalidField("sort", "不支持按“"+sort+"”排序，可选："+strings.Join(o.Allowed(), "、")+"（前加 - 为倒序）")
	}
	columns := append(strings.Split(column, ", "), o.Tie)
	return strings.Join(columns, dir+", ") + dir, nil
}

// Allowed lists the sort keys, sorted.
func (o Order) Allowed() []string {
	keys := make([]string, 0, len(o.Keys))
	for k := range o.Keys {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
