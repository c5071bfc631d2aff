package batch_test

import (
	"context"
	"os"
	"testing"

	"huicai/internal/batch"
	"huicai/internal/card"
	"huicai/internal/testdb"
)

// TestExportKeepsThePapersInOrder: the papers are written on every core,
// and still stored in the order of the papers, progress counting up one
// by one to the total.
func TestExportKeepsThePapersInOrder(t *testing.T) {
	f := newFixture(t, 7)
	b := f.create(t)
	var counts []int
	if _, err := f.svc.Export(ctx, card.Kind, f.leader, b.ID, "", func(done, total int) {
		if total != 9 {
			t.Errorf("progress total %d, want 9", total)
		}
		counts = append(counts, done)
	}); err != nil {
		t.Fatal(err)
	}
	for i, c := range counts {
		if c != i+1 {
			t.Fatalf("progress went %v, want 1 to 9", counts)
		}
	}
	papers := card.Kind.Papers()
	want := []string{papers.SheetTitle + ".xlsx", papers.SheetTitle + ".pdf"}
	for i, id := range b.ItemIDs {
		ip, err := card.Kind.Item(ctx, f.svc.DB, i+1, id)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, papers.FormFolder+"/"+ip.Form.Name+".pdf")
	}
	got, err := batch.Exports(ctx, f.svc.DB, b.ID)
	if err != nil || len(got) != len(want) {
		t.Fatalf("exports %+v, %v; want %d", got, err, len(want))
	}
	for i := range want {
		if got[i].Name != want[i] {
			t.Errorf("export %d is %q, want %q", i+1, got[i].Name, want[i])
		}
	}
}

// TestExportCancelledMidwayLeavesNothing: cancelled after a few papers,
// the export begins no more, records nothing and leaves no temporary file.
func TestExportCancelledMidwayLeavesNothing(t *testing.T) {
	f := newFixture(t, 7)
	b := f.create(t)
	midway, cancel := context.WithCancel(ctx)
	defer cancel()
	before := testdb.Snapshot(t, f.svc.DB)
	most := 0
	if _, err := f.svc.Export(midway, card.Kind, f.leader, b.ID, "", func(done, _ int) {
		most = max(most, done)
		if done == 3 {
			cancel()
		}
	}); err == nil {
		t.Fatal("export cancelled midway succeeded")
	}
	if most >= 3+batch.Writers() { // the writers busy at the cancel finish their papers, and no more are begun
		t.Errorf("%d papers written, after a cancel at 3", most)
	}
	if testdb.Snapshot(t, f.svc.DB) != before {
		t.Error("cancelled export changed data")
	}
	if tmp, _ := os.ReadDir(f.svc.Files.TempDir()); len(tmp) != 0 {
		t.Errorf("cancelled export left %d temporary files", len(tmp))
	}
}
