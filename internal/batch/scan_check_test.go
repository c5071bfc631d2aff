package batch_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"huicai/internal/batch"
	"huicai/internal/card"
)

// TestAnExportedPaperUploadedAsTheScanIsFlagged: the unprinted summary PDF
// uploaded as the "stamped scan" is accepted but flagged, on the answer and
// on every later load; a real scan clears the warning.
func TestAnExportedPaperUploadedAsTheScanIsFlagged(t *testing.T) {
	f := newFixture(t, 2)
	b := f.create(t)
	if _, err := f.svc.Export(ctx, card.Kind, f.leader, b.ID, "", noProgress); err != nil {
		t.Fatal(err)
	}
	exports, err := batch.Exports(ctx, f.svc.DB, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	summary := exports[1] // 惠才卡申领汇总表.pdf
	in, err := f.svc.Files.Open(summary.File)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(in)
	in.Close()
	same, err := f.svc.Files.Put(bytes.NewReader(data), "扫描件.pdf")
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.AttachScan(ctx, card.Kind, f.leader, b.ID, same, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.ScanWarning, "惠才卡申领汇总表.pdf") || !strings.Contains(got.ScanWarning, "盖章") {
		t.Errorf("the unstamped export as the scan: warning %q", got.ScanWarning)
	}
	if again, _ := batch.ByID(ctx, f.svc.DB, b.ID); again.ScanWarning != got.ScanWarning || again.Scan == nil {
		t.Errorf("on reload: scan %v, warning %q", again.Scan, again.ScanWarning)
	}
	f.scan(t, b.ID)
	if real, _ := batch.ByID(ctx, f.svc.DB, b.ID); real.ScanWarning != "" {
		t.Errorf("a real scan is flagged: %q", real.ScanWarning)
	}
}
