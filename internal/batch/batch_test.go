package batch_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/batch"
	"huicai/internal/card"
	"huicai/internal/clock"
	"huicai/internal/files"
	"huicai/internal/pack"
	"huicai/internal/sign"
	"huicai/internal/talent"
	"huicai/internal/testdb"
)

var ctx = context.Background()

var pdf = []byte("%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")

type fixture struct {
	svc    *batch.Service
	leader account.User
	apps   []int64
}

var rare = []string{"王堃", "李喆", "张赟", "陈镕", "刘珺"}

// newFixture makes n applications approved by the unit, with attachments.
func newFixture(t testing.TB, n int) *fixture {
	t.Helper()
	db := testdb.Open(t)
	dir := t.TempDir()
	f := &fixture{svc: &batch.Service{DB: db, Files: files.NewStore(dir), PackagesDir: filepath.Join(dir, "packages")}, leader: testdb.Leader(t, db)}
	dept := testdb.Department(t, db, "物理学院")
	c := testdb.Commissioner(t, db, f.leader, "zhuanyuan", 1, dept, true)
	for i := 0; i < n; i++ {
		r := testdb.Registration(fmt.Sprintf("rencai%d", i), i+1, dept)
		r.Name = rare[i%len(rare)]
		tal, err := talent.Register(ctx, db, r, testdb.FastHash, "", card.Open)
		if err != nil {
			t.Fatal(err)
		}
		testdb.Bind(t, db, f.leader, c, tal.ID)
		a, _ := card.Current(ctx, db, tal.ID)
		for _, kind := range []string{card.KindIDScan, card.KindTitleProof} {
			file, _ := f.svc.Files.Put(bytes.NewReader(pdf), "扫描件.pdf")
			if _, err := card.Attach(ctx, db, c, a.ID, kind, file, ""); err != nil {
				t.Fatal(err)
			}
		}
		m := card.Materials{HighestEducation: "博士研究生", HighestDegree: "博士", SchoolMajor: "山东大学 物理", ProfessionalTitle: "教授",
			CurrentPosition: "教授", Field: "物理", TitleDocument: "鲁政字〔2018〕1号", Achievements: "业绩", PostalAddress: "济南市", PostalCode: "250100"}
		a, err = card.Submit(ctx, db, c, a.ID, card.Draft{Version: a.Version, Materials: m}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := card.Review(ctx, db, f.leader, a.ID, card.Decision{Version: a.Version, Result: card.ActionApprove}, ""); err != nil {
			t.Fatal(err)
		}
		f.apps = append(f.apps, a.ID)
	}
	return f
}

func contact() batch.Contact { return batch.Contact{Person: "张三", Phone: "0531-88364000"} }

func code(err error) apperr.Code {
	e, _ := apperr.As(err)
	if e == nil {
		return ""
	}
	return e.Code
}

func noProgress(int, int) {}

func (f *fixture) create(t testing.TB) batch.Batch {
	t.Helper()
	b, err := batch.Create(ctx, f.svc.DB, card.Kind, f.leader, f.apps, contact(), "")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (f *fixture) scan(t testing.TB, id int64) {
	t.Helper()
	file, _ := f.svc.Files.Put(bytes.NewReader(pdf), "盖章汇总表.pdf")
	if _, err := f.svc.AttachScan(ctx, card.Kind, f.leader, id, file, ""); err != nil {
		t.Fatal(err)
	}
}

func TestWholeCardBatch(t *testing.T) {
	f := newFixture(t, 3)
	_, err := batch.Create(ctx, f.svc.DB, card.Kind, f.leader, nil, contact(), "")
	if e, ok := apperr.As(err); !ok || e.Fields["item_ids"] == "" {
		t.Errorf("empty batch: %v", err)
	}
	b := f.create(t)
	if b.State != batch.StateDraft || len(b.ItemIDs) != 3 || !strings.HasPrefix(b.Number, "HC") {
		t.Fatalf("batch %+v", b)
	}
	if _, err := batch.Create(ctx, f.svc.DB, card.Kind, f.leader, f.apps[:1], contact(), ""); code(err) != apperr.CodeConflict {
		t.Errorf("an application already in another batch: %v", err)
	}
	if _, err := f.svc.Submit(ctx, card.Kind, f.leader, b.ID, testdb.Password, "", noProgress); code(err) != apperr.CodeConflict {
		t.Errorf("submit before export: %v", err)
	}
	b, err = f.svc.Export(ctx, card.Kind, f.leader, b.ID, "", noProgress)
	if err != nil || b.State != batch.StateExported {
		t.Fatalf("export: %+v %v", b, err)
	}
	exports, _ := batch.Exports(ctx, f.svc.DB, b.ID)
	names := []string{}
	for _, e := range exports {
		names = append(names, e.Name)
	}
	want := "惠才卡申领汇总表.xlsx,惠才卡申领汇总表.pdf,惠才卡申领表/01-王堃.pdf,惠才卡申领表/02-李喆.pdf,惠才卡申领表/03-张赟.pdf"
	if strings.Join(names, ",") != want {
		t.Errorf("exports %s", strings.Join(names, ","))
	}
	if _, err := f.svc.Submit(ctx, card.Kind, f.leader, b.ID, testdb.Password, "", noProgress); code(err) != apperr.CodeConflict {
		t.Errorf("submit without the stamped scan: %v", err)
	}
	f.scan(t, b.ID)
	f.scan(t, b.ID) // replaceable until submission
	before := testdb.Snapshot(t, f.svc.DB)
	_, err = f.svc.Submit(ctx, card.Kind, f.leader, b.ID, "Wrong@2026", "", noProgress)
	if e, ok := apperr.As(err); !ok || e.Fields["password"] != "密码不正确" {
		t.Errorf("wrong password: %v", err)
	}
	if testdb.Snapshot(t, f.svc.DB) != before {
		t.Error("refused submit changed data")
	}
	b, err = f.svc.Submit(ctx, card.Kind, f.leader, b.ID, testdb.Password, "", noProgress)
	if err != nil || b.State != batch.StateSubmitted {
		t.Fatalf("submit: %+v %v", b, err)
	}
	for _, id := range f.apps {
		a, _ := card.ByID(ctx, f.svc.DB, id)
		if a.State != card.StateProvinceReview {
			t.Errorf("application %d is %s after submit", id, a.State)
		}
	}
	key, _ := sign.UnitKey(ctx, f.svc.DB)
	pkg := f.svc.PackagePath(b)
	rep := verify(t, pkg, key.PublicPEM)
	if rep.Manifest.Batch.Number != b.Number || len(rep.Manifest.Items) != 3 || rep.Manifest.Unit.USCC != "12370000495570512F" {
		t.Errorf("manifest %+v", rep.Manifest)
	}
	zr, _ := zip.OpenReader(pkg)
	var entries []string
	for _, e := range zr.File {
		entries = append(entries, e.Name)
	}
	all := strings.Join(entries, "\n")
	checkDataJSON(t, &zr.Reader, b.ItemIDs, all)
	zr.Close()
	for _, w := range []string{"data.json", "exports/惠才卡申领汇总表.xlsx", "scan/盖章扫描件.pdf", "attachments/01-王堃/证件扫描件-1.pdf", "manifest.json", "manifest.sig"} {
		if !strings.Contains(all, w) {
			t.Errorf("package lacks %s:\n%s", w, all)
		}
	}
	if _, err := f.svc.AttachScan(ctx, card.Kind, f.leader, b.ID, files.File{}, ""); code(err) != apperr.CodeConflict {
		t.Errorf("changing a submitted batch: %v", err)
	}

	provincePriv, provincePub, _ := sign.GenerateKeyPair()
	pk, _ := sign.ParsePrivatePEM([]byte(provincePriv))
	receiptPath := filepath.Join(t.TempDir(), "receipt.zip")
	if _, err := pack.MakeReceipt(pkg, pk, map[int64]string{f.apps[1]: "称号证明材料不清晰"}, clock.Now(), receiptPath); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(receiptPath)
	rc, err := pack.ReadReceipt(bytes.NewReader(data), []byte(provincePub))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]batch.Kind{"card": card.Kind}
	b, err = f.svc.ImportReceipt(ctx, kinds, f.leader, rc, "")
	if err != nil || b.State != batch.StateClosed {
		t.Fatalf("import: %+v %v", b, err)
	}
	issued, _ := card.ByID(ctx, f.svc.DB, f.apps[0])
	refused, _ := card.ByID(ctx, f.svc.DB, f.apps[1])
	if issued.State != card.StateIssued || issued.CardNo == "" || issued.ExpiresOn == "" || refused.State != card.StateProvinceRejected {
		t.Errorf("after receipt: %+v / %+v", issued, refused)
	}
	history, _ := card.History(ctx, f.svc.DB, issued.ID)
	steps := card.Flow(issued, history)
	for _, s := range steps {
		if s.Status != "done" {
			t.Errorf("issued application step %s is %s", s.Name, s.Status)
		}
	}
	before = testdb.Snapshot(t, f.svc.DB)
	if _, err := f.svc.ImportReceipt(ctx, kinds, f.leader, rc, ""); code(err) != apperr.CodeConflict {
		t.Errorf("importing twice: %v", err)
	}
	other := rc
	other.PackageID = "00000000-0000-4000-8000-000000000000"
	if _, err := f.svc.ImportReceipt(ctx, kinds, f.leader, other, ""); code(err) != apperr.CodeConflict {
		t.Errorf("a receipt for another package: %v", err)
	}
	if testdb.Snapshot(t, f.svc.DB) != before {
		t.Error("refused receipts changed data")
	}
}

func verify(t *testing.T, path, pub string) pack.Report {
	t.Helper()
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	st, _ := in.Stat()
	rep, err := pack.Verify(in, st.Size(), []byte(pub))
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return rep
}

func TestCancelledExportAndSubmitLeaveNothing(t *testing.T) {
	f := newFixture(t, 2)
	b := f.create(t)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	before := testdb.Snapshot(t, f.svc.DB)
	if _, err := f.svc.Export(cancelled, card.Kind, f.leader, b.ID, "", noProgress); err == nil {
		t.Fatal("cancelled export succeeded")
	}
	if testdb.Snapshot(t, f.svc.DB) != before {
		t.Error("cancelled export changed data")
	}
	tmp, _ := os.ReadDir(f.svc.Files.TempDir())
	if len(tmp) != 0 {
		t.Errorf("cancelled export left %d temporary files", len(tmp))
	}
	f.svc.Export(ctx, card.Kind, f.leader, b.ID, "", noProgress)
	f.scan(t, b.ID)
	before = testdb.Snapshot(t, f.svc.DB)
	if _, err := f.svc.Submit(cancelled, card.Kind, f.leader, b.ID, testdb.Password, "", noProgress); err == nil {
		t.Fatal("cancelled submit succeeded")
	}
	if testdb.Snapshot(t, f.svc.DB) != before {
		t.Error("cancelled submit changed data")
	}
	if left, _ := os.ReadDir(f.svc.PackagesDir); len(left) != 0 {
		t.Errorf("cancelled submit left %v", left)
	}
}

func TestPackagesCarryPlainBytesFromTheSealedStore(t *testing.T) {
	f := newFixture(t, 1)
	b := f.submitted(t)
	stored := filepath.Dir(f.svc.Files.TempDir())
	filepath.WalkDir(stored, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			raw, _ := os.ReadFile(p)
			if bytes.HasPrefix(raw, []byte("%PDF")) || bytes.HasPrefix(raw, []byte("PK")) {
				t.Errorf("%s is stored in the clear", p)
			}
		}
		return nil
	})
	exports, _ := batch.Exports(ctx, f.svc.DB, b.ID)
	want := map[string][]byte{"scan/盖章扫描件.pdf": pdf, "attachments/01-王堃/证件扫描件-1.pdf": pdf}
	for _, e := range exports {
		in, err := f.svc.Files.Open(e.File)
		if err != nil {
			t.Fatal(err)
		}
		var plain bytes.Buffer
		plain.ReadFrom(in)
		in.Close()
		want["exports/"+e.Name] = plain.Bytes()
	}
	zr, err := zip.OpenReader(f.svc.PackagePath(b))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, e := range zr.File {
		w, ok := want[e.Name]
		if !ok {
			continue
		}
		delete(want, e.Name)
		rc, _ := e.Open()
		var got bytes.Buffer
		got.ReadFrom(rc)
		rc.Close()
		if !bytes.Equal(got.Bytes(), w) || e.Method != zip.Store {
			t.Errorf("%s in the package: %d bytes (method %d), want the %d plain bytes stored", e.Name, got.Len(), e.Method, len(w))
		}
	}
	if len(want) != 0 {
		t.Errorf("package lacks %v", want)
	}
}

// checkDataJSON checks the package's data.json, whose records are read as
// it is written: one per item, in the batch's order, each attachment's
// path one of the package's entries.
func checkDataJSON(t *testing.T, zr *zip.Reader, ids []int64, entries string) {
	t.Helper()
	in, err := zr.Open("data.json")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var data struct {
		Applications []struct {
			ApplicationID int64 `json:"application_id"`
			Attachments   []struct {
				Path string `json:"path"`
			} `json:"attachments"`
		} `json:"applications"`
	}
	if err := json.NewDecoder(in).Decode(&data); err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, a := range data.Applications {
		got = append(got, a.ApplicationID)
		for _, att := range a.Attachments {
			if !strings.Contains(entries, att.Path) {
				t.Errorf("data.json names %s, which the package lacks", att.Path)
			}
		}
	}
	if !slices.Equal(got, ids) {
		t.Errorf("data.json lists applications %v, want %v", got, ids)
	}
}
