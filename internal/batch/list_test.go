package batch_test

import (
	"bytes"
	"testing"

	"huicai/internal/batch"
	"huicai/internal/card"
)

// TestAPageShowsEachBatchAsItIs lists batches with a stamped scan of their
// own, one without, and checks each row against the batch read alone: the
// page reads its rows and their scans in one go, and must not hand one
// batch's scan to another.
func TestAPageShowsEachBatchAsItIs(t *testing.T) {
	f := newFixture(t, 3)
	var ids []int64
	for i, app := range f.apps {
		b, err := batch.Create(ctx, f.svc.DB, card.Kind, f.leader, []int64{app}, contact(), "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, b.ID)
		if i == 1 {
			continue // the second stays a draft, without a scan
		}
		if _, err := f.svc.Export(ctx, card.Kind, f.leader, b.ID, "", noProgress); err != nil {
			t.Fatal(err)
		}
		scan, _ := f.svc.Files.Put(bytes.NewReader(append(bytes.Clone(pdf), byte('0'+i))), "盖章汇总表.pdf")
		if _, err := f.svc.AttachScan(ctx, card.Kind, f.leader, b.ID, scan, ""); err != nil {
			t.Fatal(err)
		}
	}
	page, err := batch.List(ctx, f.svc.DB, f.leader, "", 1, 10)
	if err != nil || len(page.Items) != len(ids) || page.Total != len(ids) {
		t.Fatalf("list: %+v %v", page, err)
	}
	for i, listed := range page.Items {
		if want := ids[len(ids)-1-i]; listed.ID != want {
			t.Errorf("row %d: batch %d, want %d (newest first)", i, listed.ID, want)
		}
		alone, err := batch.ByID(ctx, f.svc.DB, listed.ID)
		if err != nil {
			t.Fatal(err)
		}
		if (listed.Scan == nil) != (alone.Scan == nil) || listed.Scan != nil && *listed.Scan != *alone.Scan {
			t.Errorf("batch %d: listed scan %+v, alone %+v", listed.ID, listed.Scan, alone.Scan)
		}
		if listed.ContactPhone != contact().Phone || listed.ItemCount != 1 || listed.StateLabel != alone.StateLabel {
			t.Errorf("batch %d listed as %+v", listed.ID, listed)
		}
	}
	if page.Items[1].Scan != nil || page.Items[0].Scan == nil || page.Items[0].Scan.SHA256 == page.Items[2].Scan.SHA256 {
		t.Errorf("scans: %+v, %+v, %+v", page.Items[0].Scan, page.Items[1].Scan, page.Items[2].Scan)
	}
}
