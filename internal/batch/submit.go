package batch

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/clock"
	"huicai/internal/export"
	"huicai/internal/files"
	"huicai/internal/gctune"
	"huicai/internal/pack"
	"huicai/internal/sign"
	"huicai/internal/store"
	"huicai/internal/unit"
	"huicai/internal/validate"
)

// Progress reports work done.
type Progress func(done, total int)

// Export is one exported file of a batch and its path in an export folder.
type Export struct {
	Name string     `json:"name"`
	File files.File `json:"file"`
}

// Exports lists a batch's exported files in order.
func Exports(ctx context.Context, q store.Querier, id int64) ([]Export, error) {
	out, err := store.Rows(ctx, q, func(rows *sql.Rows) (e Export, err error) {
		return e, rows.Scan(append([]any{&e.Name}, e.File.Fields()...)...)
	}, `SELECT e.name, `+files.Columns+`
		FROM batch_exports e JOIN files f ON f.id = e.file_id WHERE e.batch_id = ? ORDER BY e.position`, id)
	if err != nil {
		return nil, fmt.Errorf("batch: exports: %w", err)
	}
	if out == nil {
		out = []Export{}
	}
	return out, nil
}

// ChineseDate writes a date the way the papers do: 2026年11月29日.
func ChineseDate(t time.Time) string { return t.In(validate.China).Format("2006年01月02日") }

// Export writes the batch's papers (summary sheet as xlsx and PDF, and the
// kind's forms) into the file store and freezes the batch's items. Each
// paper is sealed into the store as soon as it is made, by one writer per
// core, so memory holds only the papers being made, however many the
// batch has, and no paper is ever on disk in the clear; all are synced
// before any is recorded. A failed or
// cancelled export records nothing and leaves no temporary file; the
// papers it sealed stay in the store unreferenced, as after a crash
// (exporting the batch again makes the same forms, stored under the same
// hashes).
func (s *Service) Export(ctx context.Context, k Kind, by account.User, id int64, client string, progress Progress) (Batch, error) {
	b, err := ByID(ctx, s.DB, id)
	if err != nil || b.Kind != k.Code() {
		return Batch{}, ErrNotFound
	}
	if !Machine.Allows(b.State, ActionExport, string(by.Role)) {
		if b.ExportedAt != "" {
			return b.For(by), nil // already exported: the stored papers are the export
		}
		return Batch{}, apperr.Conflict("该批次当前为“" + b.StateLabel + "”，不能导出")
	}
	stored, undrawn, err := s.writePapers(ctx, k, b, progress)
	if err != nil {
		return Batch{}, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		b, err := load(ctx, tx, k, id)
		if err != nil {
			return err
		}
		if _, err := move(ctx, tx, k, b, by, ActionExport, client, exportDetail(len(stored), undrawn)); err != nil {
			return err
		}
		for i, e := range stored {
			f, err := files.Record(ctx, tx, e.File)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO batch_exports(batch_id, name, file_id, position) VALUES (?, ?, ?, ?)`,
				id, e.Name, f.ID, i+1); err != nil {
				return fmt.Errorf("batch: record export: %w", err)
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE batches SET exported_at = ? WHERE id = ?`, store.Now(), id)
		return err
	})
	if err != nil {
		return Batch{}, err
	}
	out, err := byIDFor(ctx, s.DB, by, id)
	if len(undrawn) > 0 {
		out.Warning = "导出的 PDF 中，以下字符没有可用的字形，已印为〓（文字本身保留在文件中，Excel 汇总表显示正常），请在打印稿上手写补正：" + undrawn.String()
	}
	return out, err
}

// exportDetail is the audit line of an export: how many files, and the
// characters no font has, which the PDFs show as 〓 (the xlsx holds them).
func exportDetail(count int, undrawn export.Undrawn) string {
	detail := fmt.Sprintf("%d 个文件", count)
	if len(undrawn) > 0 {
		detail += "；PDF 中无字形、以〓代替的字符：" + undrawn.String()
	}
	return detail
}

// writePapers makes the papers and seals them into the store, returning
// them in order with the characters the PDFs could not draw. The items
// are read once for the summary's rows and the forms' names, then again
// one by one as each form is made.
func (s *Service) writePapers(ctx context.Context, k Kind, b Batch, progress Progress) ([]Export, export.Undrawn, error) {
	layout := k.Papers()
	var rows [][]string
	var forms []formRef
	err := eachItem(ctx, s.DB, k, b.ItemIDs, func(ip ItemPapers) error {
		if ip.Form != nil {
			forms = append(forms, formRef{file: formFile(layout, ip), item: len(rows)})
		}
		rows = append(rows, ip.Row)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	u, err := unit.Get(ctx, s.DB)
	if err != nil {
		return nil, nil, err
	}
	created, _ := store.ParseTime(b.CreatedAt)
	sheet := export.Sheet{Title: layout.SheetTitle, UnitName: u.Name, USCC: u.USCC, BatchNo: b.Number,
		Date: ChineseDate(clock.Now()), Contact: "联系人：" + b.ContactPerson + "  联系电话：" + b.ContactPhone,
		Columns: layout.Columns, Rows: rows}
	list := []paper{
		{layout.SheetTitle + ".xlsx", files.TypeXLSX, func(w io.Writer) (export.Undrawn, error) { return nil, export.WriteXLSX(w, sheet) }},
		{layout.SheetTitle + ".pdf", files.TypePDF, func(w io.Writer) (export.Undrawn, error) { return export.WriteSheetPDF(w, sheet, created) }},
	}
	subtitle := u.Name + "    批次号：" + b.Number
	for _, f := range forms {
		list = append(list, paper{f.file, files.TypePDF, func(w io.Writer) (export.Undrawn, error) {
			ip, err := k.Item(ctx, s.DB, f.item+1, b.ItemIDs[f.item])
			if err != nil {
				return nil, err
			}
			form := ip.Form.Form
			form.Subtitle = subtitle
			return export.WriteFormPDF(w, form, created)
		}})
	}
	return s.writeAll(ctx, list, progress)
}

// formRef is an item's form in an export: its file, and the item's index
// in the batch.
type formRef struct {
	file string
	item int
}

// paper is one file of an export and what writes it, returning the
// characters a PDF could not draw.
type paper struct {
	name, typ string
	write     func(w io.Writer) (export.Undrawn, error)
}

// writers is how many papers are made at once: one per core, since making
// one is CPU work and storing it no longer waits for the disk (the papers
// are synced in the background, files.Group).
func writers() int { return runtime.GOMAXPROCS(0) }

// writeAll makes the papers, writers() at once, seals each into the file
// store as soon as it is made and reports each as it is done. It returns
// the stored files, synced, in the papers' order and the characters the
// PDFs could not draw; once a paper fails or ctx is cancelled, no paper is
// begun.
func (s *Service) writeAll(ctx context.Context, papers []paper, progress Progress) ([]Export, export.Undrawn, error) {
	stored := make([]Export, len(papers)) // each slot written by the one writer that took its paper
	group := s.Files.NewGroup()
	defer group.Close()
	defer gctune.While(exportGC)()
	var (
		mu      sync.Mutex // guards the rest, and calls progress one at a time
		next    int
		done    int
		undrawn export.Undrawn
		failed  error
	)
	// take hands out the next paper, or -1 when none is left or the export failed.
	take := func() int {
		mu.Lock()
		defer mu.Unlock()
		if failed == nil {
			failed = ctx.Err()
		}
		if failed != nil || next == len(papers) {
			return -1
		}
		next++
		return next - 1
	}
	finish := func(u export.Undrawn, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			failed = cmp.Or(failed, err)
			return
		}
		undrawn = undrawn.Merge(u)
		done++
		progress(done, len(papers))
	}
	var wg sync.WaitGroup
	for range min(writers(), len(papers)) {
		wg.Go(func() {
			for i := take(); i >= 0; i = take() {
				var u export.Undrawn
				var err error
				stored[i], u, err = s.writeOne(group, papers[i])
				finish(u, err)
			}
		})
	}
	wg.Wait()
	if failed != nil {
		return nil, nil, failed
	}
	if err := group.Sync(); err != nil {
		return nil, nil, err
	}
	return stored, undrawn, nil
}

// writeOne makes one paper and seals it into the store, in group.
func (s *Service) writeOne(group *files.Group, p paper) (Export, export.Undrawn, error) {
	pending, err := s.Files.Create()
	if err != nil {
		return Export{}, nil, err
	}
	defer pending.Discard()
	u, err := p.write(pending)
	if err != nil {
		return Export{}, nil, err
	}
	f, err := pending.KeepIn(group, path.Base(p.name), p.typ)
	return Export{Name: p.name, File: f}, u, err
}

// Service runs the batch steps that need the file store and packages folder.
type Service struct {
	DB          *store.DB
	Files       *files.Store
	PackagesDir string
}

// AttachScan records the stamped, scanned summary (盖章后上传); it can be
// replaced until the batch is submitted.
func (s *Service) AttachScan(ctx context.Context, k Kind, by account.User, id int64, f files.File, client string) (Batch, error) {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		b, err := load(ctx, tx, k, id)
		if err != nil {
			return err
		}
		if b.State == StateDraft {
			return apperr.Conflict("请先导出汇总材料，打印盖章后再上传扫描件")
		}
		if _, err := move(ctx, tx, k, b, by, ActionScan, client, f.Name+"（SHA-256 "+f.SHA256+"）"); err != nil {
			return err
		}
		if f, err = files.Record(ctx, tx, f); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE batches SET scan_file_id = ? WHERE id = ?`, f.ID, id)
		return err
	})
	if err != nil {
		return Batch{}, err
	}
	return byIDFor(ctx, s.DB, by, id)
}

// Submit seals the batch into a signed package (提交), after checking that
// it was exported, that the stamped scan is uploaded and that password is
// the leader's. The package goes to the packages folder; the batch becomes
// 已报送 and its items are marked submitted to the province. A failed or
// cancelled submit changes nothing and leaves no file.
func (s *Service) Submit(ctx context.Context, k Kind, by account.User, id int64, password, client string, progress Progress) (Batch, error) {
	b, err := ByID(ctx, s.DB, id)
	if err != nil || b.Kind != k.Code() {
		return Batch{}, ErrNotFound
	}
	switch {
	case b.State == StateDraft:
		return Batch{}, apperr.Conflict("请先导出汇总材料")
	case b.State == StateExported && b.Scan == nil:
		return Batch{}, apperr.Conflict("请先上传盖章后的扫描件")
	case !Machine.Allows(b.State, ActionSubmit, string(by.Role)):
		return Batch{}, apperr.Conflict("该批次当前为“" + b.StateLabel + "”，不能提交")
	}
	if password == "" {
		return Batch{}, apperr.InvalidField("password", "请输入单位负责人密码")
	}
	key, err := sign.UnitSigner(ctx, s.DB, password)
	if err != nil {
		return Batch{}, err
	}
	spec, sources, err := s.packageContents(ctx, k, b)
	if err != nil {
		return Batch{}, err
	}
	if err := os.MkdirAll(s.PackagesDir, 0o700); err != nil {
		return Batch{}, err
	}
	// Each attempt seals its own file and only the one that commits puts it
	// in place: parallel submits (a double click) must not remove the
	// package of the one that won.
	dest := filepath.Join(s.PackagesDir, b.Number+".zip")
	attempt := filepath.Join(s.PackagesDir, "."+b.Number+"-"+randomSuffix()+".zip")
	// The password check's and the gathering's garbage (at 50k, thousands
	// of forms the package does not need) and the database's caches go
	// back to the system first, and the heap stays within sealGC's limit
	// while it seals and records the package (issue 13: ≤ 100 MB).
	debug.FreeOSMemory()
	if err := s.DB.ReleaseMemory(ctx); err != nil {
		return Batch{}, err
	}
	defer gctune.While(sealGC)()
	res, err := pack.Write(ctx, attempt, spec, sources, key, progress)
	if err != nil {
		return Batch{}, err
	}
	defer os.Remove(attempt) // gone already once it took its place
	placed := false
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := load(ctx, tx, k, id)
		if err != nil {
			return err
		}
		if _, err := move(ctx, tx, k, cur, by, ActionSubmit, client, "提交包 "+res.PackageID+"，SM3 "+res.SM3); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE batches SET submitted_at = ?, package_id = ?, package_file = ?, package_sm3 = ?,
			package_size = ? WHERE id = ?`, store.Now(), res.PackageID, filepath.Base(dest), res.SM3, res.Size, id); err != nil {
			return err
		}
		if err := k.Send(ctx, tx, by, cur.ItemIDs, client); err != nil {
			return err
		}
		if err := os.Rename(attempt, dest); err != nil {
			return err
		}
		placed = true
		return nil
	})
	if err != nil {
		if placed { // renamed, then the commit failed: the package is this attempt's own
			os.Remove(dest)
		}
		return Batch{}, err
	}
	return byIDFor(ctx, s.DB, by, id)
}

// randomSuffix names one submit attempt's package file.
func randomSuffix() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// PackagePath is where a submitted batch's package is kept.
func (s *Service) PackagePath(b Batch) string { return filepath.Join(s.PackagesDir, b.PackageFile) }

// packageContents is what the package of b holds: the manifest's items
// and the list of files are gathered first, data.json's records are read
// again as it is written.
func (s *Service) packageContents(ctx context.Context, k Kind, b Batch) (pack.Spec, []pack.Source, error) {
	var items []pack.Item
	var attachments []PackFile
	err := eachItem(ctx, s.DB, k, b.ItemIDs, func(ip ItemPapers) error {
		items = append(items, ip.Item)
		attachments = append(attachments, ip.Attachments...)
		return nil
	})
	if err != nil {
		return pack.Spec{}, nil, err
	}
	u, err := unit.Get(ctx, s.DB)
	if err != nil {
		return pack.Spec{}, nil, err
	}
	exports, err := Exports(ctx, s.DB, b.ID)
	if err != nil {
		return pack.Spec{}, nil, err
	}
	head, err := audit.HeadHash(ctx, s.DB)
	if err != nil {
		return pack.Spec{}, nil, err
	}
	spec := pack.Spec{Unit: pack.Unit{Name: u.Name, USCC: u.USCC}, Batch: pack.Batch{Kind: k.Code(), KindLabel: k.Label(), Number: b.Number},
		Contact: pack.Contact{Person: b.ContactPerson, Phone: b.ContactPhone}, Items: items,
		Data: map[string]any{k.Papers().DataKey: records(ctx, s.DB, k, b.ItemIDs)}, AuditHead: head, Created: clock.Now()}
	sources := make([]pack.Source, 0, len(exports)+1+len(attachments))
	for _, e := range exports {
		sources = append(sources, s.stored("exports/"+e.Name, e.File))
	}
	sources = append(sources, s.stored("scan/盖章扫描件"+path.Ext(b.Scan.Name), *b.Scan))
	for _, a := range attachments {
		sources = append(sources, s.stored(a.Path, a.File))
	}
	return spec, sources, nil
}

// stored is a package file read, decrypted and checked, from the store.
func (s *Service) stored(name string, f files.File) pack.Source {
	return pack.Source{Path: name, SM3: f.SM3, Open: s.Files.Opener(f)}
}

// ImportReceipt applies a receipt already verified against the province's
// key: it must answer a package this unit submitted, every item of it, once.
func (s *Service) ImportReceipt(ctx context.Context, kinds map[string]Kind, by account.User, rc pack.Receipt, client string) (Batch, error) {
	u, err := unit.Get(ctx, s.DB)
	if err != nil {
		return Batch{}, err
	}
	if rc.Unit.USCC != u.USCC {
		return Batch{}, apperr.Conflict("该回执不是发给本单位的（统一社会信用代码 " + rc.Unit.USCC + "）")
	}
	var id int64
	err = s.DB.QueryRowContext(ctx, `SELECT id FROM batches WHERE package_id = ?`, rc.PackageID).Scan(&id)
	if err != nil {
		return Batch{}, apperr.Conflict("没有找到该回执对应的提交包（" + rc.PackageID + "），请确认回执与本单位报送的批次对应")
	}
	k, ok := kinds[rc.Batch.Kind]
	if !ok {
		return Batch{}, apperr.Conflict("回执的事项类型不受支持")
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		b, err := load(ctx, tx, k, id)
		if err != nil {
			return err
		}
		if b.State == StateClosed {
			return apperr.Conflict("该批次的回执已于 " + localTime(b.ReceiptAt) + " 导入，不能重复导入")
		}
		if b.PackageSM3 != rc.PackageSM3 {
			return apperr.Conflict("回执中的提交包哈希与本单位保存的提交包不一致")
		}
		if !sameItems(b.ItemIDs, rc.Items) {
			return apperr.Conflict("回执中的事项与该批次报送的事项不一致")
		}
		if _, err := move(ctx, tx, k, b, by, ActionReceipt, client, receiptSummary(rc)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE batches SET receipt_at = ? WHERE id = ?`, store.Now(), id); err != nil {
			return err
		}
		return k.Apply(ctx, tx, by, rc.Items, client)
	})
	if err != nil {
		return Batch{}, err
	}
	return byIDFor(ctx, s.DB, by, id)
}

func sameItems(ids []int64, answers []pack.ReceiptItem) bool {
	if len(ids) != len(answers) {
		return false
	}
	a := append([]int64(nil), ids...)
	b := make([]int64, len(answers))
	for i, x := range answers {
		b[i] = x.ID
	}
	sort.Slice(a, func(i, j int) bool { return a[i] < a[j] })
	sort.Slice(b, func(i, j int) bool { return b[i] < b[j] })
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func receiptSummary(rc pack.Receipt) string {
	var ok, no int
	for _, it := range rc.Items {
		if it.Accepted {
			ok++
		} else {
			no++
		}
	}
	return fmt.Sprintf("通过 %d 条，不通过 %d 条", ok, no)
}

// localTime shows a stored UTC time as the office reads it.
func localTime(utc string) string {
	t, err := store.ParseTime(utc)
	if err != nil {
		return utc
	}
	return validate.ChinaTime(t)
}
