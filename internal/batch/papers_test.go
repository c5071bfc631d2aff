package batch_test

import (
	"strings"
	"testing"

	"huicai/internal/audit"
	"huicai/internal/batch"
	"huicai/internal/card"
)

// TestExportNamesCharactersNoFontHas exports talents named with a CJK
// Extension B character (which once crashed the server) and with one no
// embedded font has: the export completes, and its audit line names the
// second, drawn as 〓 in the PDFs.
func TestExportNamesCharactersNoFontHas(t *testing.T) {
	f := newFixture(t, 2)
	for i, name := range []string{"𠮷田", "周𱍓"} {
		a, err := card.ByID(ctx, f.svc.DB, f.apps[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.DB.ExecContext(ctx, `UPDATE talents SET name = ? WHERE user_id = ?`, name, a.TalentID); err != nil {
			t.Fatal(err)
		}
	}
	b := f.create(t)
	exported, err := f.svc.Export(ctx, card.Kind, f.leader, b.ID, "", noProgress)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(exported.Warning, "𱍓 (U+31353)") || strings.Contains(exported.Warning, "𠮷") {
		t.Errorf("the exporter is told %q, want 𱍓 (U+31353) alone", exported.Warning)
	}
	rows, err := audit.List(ctx, f.svc.DB, audit.Filter{Action: "导出汇总材料"})
	if err != nil || len(rows.Items) != 1 {
		t.Fatalf("audit rows %+v, %v", rows, err)
	}
	if d := rows.Items[0].Detail; !strings.Contains(d, "𱍓 (U+31353)") || strings.Contains(d, "𠮷") {
		t.Errorf("export audit detail %q, want it to name 𱍓 (U+31353) alone", d)
	}
	if exports, _ := batch.Exports(ctx, f.svc.DB, b.ID); len(exports) != 4 {
		t.Errorf("%d exported files, want the sheet (xlsx, PDF) and 2 forms", len(exports))
	}
}
