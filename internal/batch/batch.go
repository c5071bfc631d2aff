package batch

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/clock"
	"huicai/internal/files"
	"huicai/internal/flow"
	"huicai/internal/store"
	"huicai/internal/validate"
	"huicai/internal/vault"
)

// sealMigration encrypts batch contact phones stored before encryption.
var sealMigration = store.Migration{Version: 19, Name: "batch: seal contact phones", Up: func(ctx context.Context, tx *sql.Tx) error {
	return vault.SealColumns(ctx, tx, "batches", "id", []string{"contact_phone"}, nil)
}}

// timesMigration rewrites the times stored before one fixed width was used.
var timesMigration = store.Migration{Version: 26, Name: "batch: fixed-width times", Up: store.FixTimesStep(map[string][]string{
	"batches": {"created_at", "exported_at", "submitted_at", "receipt_at"}})}

// countMigration keeps each batch's item count on its row (item_count),
// counted once from the items already there and then kept by triggers as
// items join and leave, so that a list of batches reads one row a batch
// instead of counting its items (thousands each in a large unit).
var countMigration = store.Migration{Version: 47, Name: "batch: item counts kept on the batch", Up: store.Exec(
	`ALTER TABLE batches ADD COLUMN item_count INTEGER NOT NULL DEFAULT 0`,
	`UPDATE batches SET item_count = (SELECT COUNT(*) FROM batch_items WHERE batch_id = batches.id)`,
	`CREATE TRIGGER batch_item_count_insert AFTER INSERT ON batch_items BEGIN `+countItem("NEW", 1)+` END`,
	`CREATE TRIGGER batch_item_count_delete AFTER DELETE ON batch_items BEGIN `+countItem("OLD", -1)+` END`,
)}

// countItem adds by to the item count of row's (NEW or OLD) batch.
func countItem(row string, by int) string {
	return fmt.Sprintf(`UPDATE batches SET item_count = item_count + %d WHERE id = %s.batch_id;`, by, row)
}

// Migrations creates batches, their items and their exports.
func Migrations() []store.Migration {
	return []store.Migration{sealMigration, timesMigration, countMigration, {Version: 11, Name: "batch: batches", Up: store.Exec(
		`CREATE TABLE batches (
			id INTEGER PRIMARY KEY,
			kind TEXT NOT NULL,
			kind_label TEXT NOT NULL,
			number TEXT NOT NULL UNIQUE,
			state TEXT NOT NULL,
			contact_person TEXT NOT NULL,
			contact_phone TEXT NOT NULL,
			created_by INTEGER NOT NULL REFERENCES users(id),
			created_at TEXT NOT NULL,
			exported_at TEXT NOT NULL DEFAULT '',
			scan_file_id INTEGER REFERENCES files(id),
			submitted_at TEXT NOT NULL DEFAULT '',
			package_id TEXT NOT NULL DEFAULT '',
			package_file TEXT NOT NULL DEFAULT '',
			package_sm3 TEXT NOT NULL DEFAULT '',
			package_size INTEGER NOT NULL DEFAULT 0,
			receipt_at TEXT NOT NULL DEFAULT ''
		)`,
		`CREATE TABLE batch_items (
			batch_id INTEGER NOT NULL REFERENCES batches(id),
			kind TEXT NOT NULL,
			item_id INTEGER NOT NULL,
			position INTEGER NOT NULL,
			PRIMARY KEY (batch_id, item_id)
		)`,
		`CREATE UNIQUE INDEX batch_items_once ON batch_items(kind, item_id)`,
		`CREATE TABLE batch_exports (
			batch_id INTEGER NOT NULL REFERENCES batches(id),
			name TEXT NOT NULL,
			file_id INTEGER NOT NULL REFERENCES files(id),
			position INTEGER NOT NULL,
			PRIMARY KEY (batch_id, name)
		)`,
	)}}
}

// States of a batch.
const (
	StateDraft     = "draft"
	StateExported  = "exported"
	StateSubmitted = "submitted"
	StateClosed    = "closed"
	StateCancelled = "cancelled"
)

// StateLabels are the states as the UI names them.
var StateLabels = map[string]string{
	StateDraft: "待导出", StateExported: "已导出", StateSubmitted: "已报送（待省级审核）",
	StateClosed: "已办结", StateCancelled: "已撤销",
}

// Actions on a batch.
const (
	ActionExport  = "export"
	ActionScan    = "scan"
	ActionSubmit  = "submit"
	ActionReceipt = "receipt"
	ActionCancel  = "cancel"
	ActionEdit    = "edit"
)

// Machine is a batch's whole workflow. Exporting freezes the items; a
// submitted batch never changes but for its receipt.
var Machine = flow.Machine{
	{From: StateDraft, Action: ActionEdit, Role: "leader", To: StateDraft},
	{From: StateDraft, Action: ActionExport, Role: "leader", To: StateExported},
	{From: StateExported, Action: ActionScan, Role: "leader", To: StateExported},
	{From: StateExported, Action: ActionSubmit, Role: "leader", To: StateSubmitted},
	{From: StateSubmitted, Action: ActionReceipt, Role: "leader", To: StateClosed},
	{From: StateDraft, Action: ActionCancel, Role: "leader", To: StateCancelled},
	{From: StateExported, Action: ActionCancel, Role: "leader", To: StateCancelled},
}

var actionLabels = map[string]string{
	ActionExport: "导出汇总材料", ActionScan: "上传盖章扫描件", ActionSubmit: "提交到省级审核",
	ActionReceipt: "导入省级回执", ActionCancel: "撤销汇总提交", ActionEdit: "修改汇总提交",
}

// Batch is one batch submission.
type Batch struct {
	ID            int64       `json:"id"`
	Kind          string      `json:"kind"`
	KindLabel     string      `json:"kind_label"`
	Number        string      `json:"number"`
	State         string      `json:"state"`
	StateLabel    string      `json:"state_label"`
	ContactPerson string      `json:"contact_person"`
	ContactPhone  string      `json:"contact_phone"`
	CreatedAt     string      `json:"created_at"`
	ExportedAt    string      `json:"exported_at"`
	Scan          *files.File `json:"scan"`
	SubmittedAt   string      `json:"submitted_at"`
	PackageID     string      `json:"package_id"`
	PackageFile   string      `json:"package_file"`
	PackageSM3    string      `json:"package_sm3"`
	PackageSize   int64       `json:"package_size"`
	ReceiptAt     string      `json:"receipt_at"`
	ItemIDs       []int64     `json:"item_ids"`
	ItemCount     int         `json:"item_count"`
	// Warning tells, right after an export, what the papers could not show
	// as it is (characters no font has, drawn as 〓); it is not stored.
	Warning string `json:"warning,omitempty"`
	// ScanWarning says when the uploaded scan is one of the batch's own
	// exported papers, unprinted and unstamped (see unstampedScan).
	ScanWarning string `json:"scan_warning,omitempty"`
	// Actions are what the user who loaded it may do now (see For).
	Actions flow.Actions `json:"actions"`
}

// For returns b with the actions u may take on it now: the machine's, but
// 提交 only once the stamped scan is uploaded.
func (b Batch) For(u account.User) Batch {
	b.Actions = flow.Actions{}
	for _, a := range Machine.Actions(b.State, string(u.Role)) {
		if a != ActionSubmit || b.Scan != nil {
			b.Actions = append(b.Actions, a)
		}
	}
	return b
}

// byIDFor returns batch id with the actions u may take on it now.
func byIDFor(ctx context.Context, q store.Querier, u account.User, id int64) (Batch, error) {
	b, err := ByID(ctx, q, id)
	return b.For(u), err
}

// Contact is the batch's 联系人 and 联系电话.
type Contact struct {
	Person string `json:"contact_person"`
	Phone  string `json:"contact_phone"`
}

func (c *Contact) check(v *validate.Checker) {
	c.Person, c.Phone = strings.TrimSpace(c.Person), strings.TrimSpace(c.Phone)
	v.Text("contact_person", c.Person, "联系人", 30)
	if c.Phone == "" {
		v.Add("contact_phone", "请填写联系电话")
	} else if !validate.IsPhone(c.Phone) {
		v.Add("contact_phone", "联系电话应为手机号码或带区号的固定电话，如 0531-86123456")
	}
}

// ErrNotFound is returned for an unknown batch.
var ErrNotFound = apperr.NotFound("该汇总提交批次不存在")

const batchColumns = `id, kind, kind_label, number, state, contact_person, contact_phone, created_at, exported_at,
	COALESCE(scan_file_id, 0), submitted_at, package_id, package_file, package_sm3, package_size, receipt_at, item_count`

// ByID returns one batch with its items, in order.
func ByID(ctx context.Context, q store.Querier, id int64) (Batch, error) {
	b, err := summary(ctx, q, id)
	if err != nil {
		return Batch{}, err
	}
	if b.Scan != nil {
		if b.ScanWarning, err = unstampedScan(ctx, q, b); err != nil {
			return Batch{}, err
		}
	}
	b.ItemIDs, err = store.Rows(ctx, q, store.ScanInt64, `SELECT item_id FROM batch_items WHERE batch_id = ? ORDER BY position`, id)
	if err != nil {
		return Batch{}, fmt.Errorf("batch: items: %w", err)
	}
	if b.ItemIDs == nil {
		b.ItemIDs = []int64{}
	}
	return b, nil
}

// summary returns one batch as a list shows it: its row, its stamped scan
// and how many items it has (kept on the row), not which (ItemIDs empty).
func summary(ctx context.Context, q store.Querier, id int64) (Batch, error) {
	r, err := scanRow(q.QueryRowContext(ctx, `SELECT `+batchColumns+` FROM batches WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Batch{}, ErrNotFound
	}
	if err != nil {
		return Batch{}, fmt.Errorf("batch: %d: %w", id, err)
	}
	if r.scan != 0 {
		f, err := files.ByID(ctx, q, r.scan)
		if err != nil {
			return Batch{}, err
		}
		r.Scan = &f
	}
	return r.Batch, nil
}

// row is a batch as read from a row of batchColumns, with the id of its
// stamped scan (0 for none) still to be looked up.
type row struct {
	Batch
	scan int64
}

// scanRow reads a row of batchColumns, its contact phone opened.
func scanRow(r interface{ Scan(...any) error }) (row, error) {
	var b row
	err := r.Scan(&b.ID, &b.Kind, &b.KindLabel, &b.Number, &b.State, &b.ContactPerson, &b.ContactPhone, &b.CreatedAt,
		&b.ExportedAt, &b.scan, &b.SubmittedAt, &b.PackageID, &b.PackageFile, &b.PackageSM3, &b.PackageSize, &b.ReceiptAt,
		&b.ItemCount)
	if err != nil {
		return row{}, err
	}
	b.StateLabel, b.ItemIDs = StateLabels[b.State], []int64{}
	b.ContactPhone, err = vault.Open(b.ContactPhone)
	return b, err
}

// List returns a page of the batches of one kind ("" for all), newest
// first, with the actions u may take on each; each row tells how many
// items it has (ItemCount, kept on the row) without listing them. A page
// costs two queries however many rows it holds: its rows, then their
// stamped scans.
func List(ctx context.Context, q store.Querier, u account.User, kind string, page, size int) (store.Page[Batch], error) {
	out := store.Page[Batch]{Items: []Batch{}}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM batches WHERE ? = '' OR kind = ?`, kind, kind).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("batch: count: %w", err)
	}
	limit, offset := store.Paging(page, size)
	out.PageSize = limit
	rows, err := store.Rows(ctx, q, func(rows *sql.Rows) (row, error) { return scanRow(rows) },
		`SELECT `+batchColumns+` FROM batches WHERE ? = '' OR kind = ? ORDER BY id DESC LIMIT ? OFFSET ?`, kind, kind, limit, offset)
	if err != nil {
		return out, fmt.Errorf("batch: list: %w", err)
	}
	var scanIDs []int64
	for _, r := range rows {
		if r.scan != 0 {
			scanIDs = append(scanIDs, r.scan)
		}
	}
	scans, err := files.ByIDs(ctx, q, scanIDs)
	if err != nil {
		return out, err
	}
	for _, r := range rows {
		if f, ok := scans[r.scan]; ok {
			r.Scan = &f
		}
		out.Items = append(out.Items, r.For(u))
	}
	return out, nil
}

// Create gathers items into a new batch with its contact (汇总提交).
func Create(ctx context.Context, db *store.DB, k Kind, by account.User, ids []int64, c Contact, client string) (Batch, error) {
	var v validate.Checker
	c.check(&v)
	v.Check("item_ids", len(ids) > 0, "请至少选择一条记录再汇总提交")
	if err := v.Err(); err != nil {
		return Batch{}, err
	}
	var id int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		number, err := nextNumber(ctx, tx, k.NumberPrefix())
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO batches(kind, kind_label, number, state, contact_person, contact_phone, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, k.Code(), k.Label(), number, StateDraft, c.Person, vault.Seal(c.Phone), by.ID, store.Now())
		if err != nil {
			return fmt.Errorf("batch: create: %w", err)
		}
		id, _ = res.LastInsertId()
		for i, item := range ids {
			if _, err := tx.ExecContext(ctx, `INSERT INTO batch_items(batch_id, kind, item_id, position) VALUES (?, ?, ?, ?)`,
				id, k.Code(), item, i+1); err != nil {
				if store.IsUnique(err) {
					return apperr.Conflict(fmt.Sprintf("所选第 %d 条记录已在其他汇总提交批次中或被重复选择，请刷新后重新选择", i+1))
				}
				return fmt.Errorf("batch: add item: %w", err)
			}
		}
		if err := k.Reserve(ctx, tx, by, ids, client); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: by.Actor(client), Action: "汇总提交", Object: object(k.Label(), number),
			Outcome: audit.OK, Detail: fmt.Sprintf("%d 条", len(ids))})
	})
	if err != nil {
		return Batch{}, err
	}
	return byIDFor(ctx, db, by, id)
}

func object(label, number string) string { return label + "汇总提交 " + number }

// nextNumber makes the next batch number of the day: HC20261129-01.
func nextNumber(ctx context.Context, tx *sql.Tx, prefix string) (string, error) {
	day := prefix + clock.Now().In(validate.China).Format("20060102") + "-"
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM batches WHERE number LIKE ?`, day+"%").Scan(&n); err != nil {
		return "", fmt.Errorf("batch: number: %w", err)
	}
	return fmt.Sprintf("%s%02d", day, n+1), nil
}

// move checks that action is allowed on b, moves it and records its audit
// row.
func move(ctx context.Context, tx *sql.Tx, k Kind, b Batch, by account.User, action, client, detail string) (string, error) {
	to, ok := Machine.Next(b.State, action, string(by.Role))
	if !ok {
		return "", apperr.Conflict("该批次当前为“" + b.StateLabel + "”，不能" + actionLabels[action])
	}
	if err := setState(ctx, tx, b.ID, b.State, to); err != nil {
		return "", err
	}
	return to, audit.Append(ctx, tx, audit.Entry{Actor: by.Actor(client), Action: actionLabels[action],
		Object: object(k.Label(), b.Number), Outcome: audit.OK, Detail: detail})
}

// ErrStale refuses a step on a batch someone else moved meanwhile.
var ErrStale = apperr.Conflict("该批次已被他人处理，请刷新后查看")

// setState moves batch id from state from to state to, if it is still in
// from.
func setState(ctx context.Context, tx *sql.Tx, id int64, from, to string) error {
	if to == from {
		return nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE batches SET state = ? WHERE id = ? AND state = ?`, to, id, from)
	if err != nil {
		return fmt.Errorf("batch: move: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("batch: move: %w", err)
	}
	if n == 0 {
		return ErrStale
	}
	return nil
}

// load returns batch id of kind k inside tx.
func load(ctx context.Context, tx *sql.Tx, k Kind, id int64) (Batch, error) {
	b, err := ByID(ctx, tx, id)
	if err == nil && b.Kind != k.Code() {
		err = ErrNotFound
	}
	return b, err
}

// UpdateContact changes a draft batch's contact.
func UpdateContact(ctx context.Context, db *store.DB, k Kind, by account.User, id int64, c Contact, client string) (Batch, error) {
	var v validate.Checker
	c.check(&v)
	if err := v.Err(); err != nil {
		return Batch{}, err
	}
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		b, err := load(ctx, tx, k, id)
		if err != nil {
			return err
		}
		if _, err := move(ctx, tx, k, b, by, ActionEdit, client, "联系人 "+c.Person+" "+c.Phone); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE batches SET contact_person = ?, contact_phone = ? WHERE id = ?`, c.Person, vault.Seal(c.Phone), id)
		return err
	})
	if err != nil {
		return Batch{}, err
	}
	return byIDFor(ctx, db, by, id)
}

// Cancel withdraws a batch not yet submitted and releases its items.
func Cancel(ctx context.Context, db *store.DB, k Kind, by account.User, id int64, client string) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		b, err := load(ctx, tx, k, id)
		if err != nil {
			return err
		}
		if _, err := move(ctx, tx, k, b, by, ActionCancel, client, ""); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM batch_items WHERE batch_id = ?`, id); err != nil {
			return fmt.Errorf("batch: release items: %w", err)
		}
		return k.Release(ctx, tx, by, b.ItemIDs, client)
	})
}

// BatchOf returns the open batch an item is in (0 when none).
func BatchOf(ctx context.Context, q store.Querier, kind string, itemID int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT batch_id FROM batch_items WHERE kind = ? AND item_id = ?`, kind, itemID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}
