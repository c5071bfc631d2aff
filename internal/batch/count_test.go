package batch_test

import (
	"fmt"
	"maps"
	"testing"

	"huicai/internal/account"
	"huicai/internal/batch"
	"huicai/internal/card"
	"huicai/internal/store"
	"huicai/internal/testdb"
)

// listedCounts returns each listed batch's item count by batch id.
func listedCounts(t *testing.T, db store.Querier, u account.User) map[int64]int {
	t.Helper()
	list, err := batch.List(ctx, db, u, "", 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]int{}
	for _, b := range list.Items {
		out[b.ID] = b.ItemCount
	}
	return out
}

// TestItemCountKeptOnTheBatch counts each batch's items as they join it and
// as cancelling a draft releases them, on the batch and in the list.
func TestItemCountKeptOnTheBatch(t *testing.T) {
	f := newFixture(t, 3)
	first, err := batch.Create(ctx, f.svc.DB, card.Kind, f.leader, f.apps[:2], contact(), "")
	if err != nil {
		t.Fatal(err)
	}
	second, err := batch.Create(ctx, f.svc.DB, card.Kind, f.leader, f.apps[2:], contact(), "")
	if err != nil {
		t.Fatal(err)
	}
	if first.ItemCount != 2 || second.ItemCount != 1 {
		t.Errorf("created: counts %d and %d, want 2 and 1", first.ItemCount, second.ItemCount)
	}
	if got, want := listedCounts(t, f.svc.DB, f.leader), map[int64]int{first.ID: 2, second.ID: 1}; !maps.Equal(got, want) {
		t.Errorf("listed after create: %v, want %v", got, want)
	}
	if err := batch.Cancel(ctx, f.svc.DB, card.Kind, f.leader, first.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got, want := listedCounts(t, f.svc.DB, f.leader), map[int64]int{first.ID: 0, second.ID: 1}; !maps.Equal(got, want) {
		t.Errorf("listed after cancelling a draft: %v, want %v", got, want)
	}
	again, err := batch.Create(ctx, f.svc.DB, card.Kind, f.leader, f.apps[:2], contact(), "")
	if err != nil || again.ItemCount != 2 {
		t.Fatalf("the released items batched again: %+v %v", again, err)
	}
	if b, err := batch.ByID(ctx, f.svc.DB, first.ID); err != nil || b.ItemCount != 0 {
		t.Errorf("the cancelled batch: count %d %v, want 0", b.ItemCount, err)
	}
}

// TestItemCountsOfBatchesMadeBeforeTheyWereKept opens a database that a
// program knowing schema version 46 left with batches in it: migrating it
// counts the items each batch already had.
func TestItemCountsOfBatchesMadeBeforeTheyWereKept(t *testing.T) {
	dir := t.TempDir()
	old := testdb.OpenIn(t, dir, 46)
	leader := testdb.Leader(t, old)
	want := map[int64]int{1: 3, 2: 0, 3: 2}
	for id, items := range want {
		_, err := old.Exec(`INSERT INTO batches(id, kind, kind_label, number, state, contact_person, contact_phone,
			created_by, created_at) VALUES (?, ?, ?, ?, ?, '张三', '0531-88364000', ?, ?)`, id, card.Kind.Code(),
			card.Kind.Label(), fmt.Sprintf("HC20260101-%02d", id), batch.StateDraft, leader.ID, store.Now())
		if err != nil {
			t.Fatal(err)
		}
		for i := range items {
			_, err := old.Exec(`INSERT INTO batch_items(batch_id, kind, item_id, position) VALUES (?, ?, ?, ?)`,
				id, card.Kind.Code(), id*100+int64(i), i+1)
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	db := testdb.OpenIn(t, dir, 0)
	if got := listedCounts(t, db, leader); !maps.Equal(got, want) {
		t.Errorf("listed after migrating: %v, want %v", got, want)
	}
}
