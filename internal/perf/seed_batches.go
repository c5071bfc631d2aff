package perf

import (
	"os"
	"path/filepath"
	"time"

	"huicai/internal/batch"
	"huicai/internal/card"
	"huicai/internal/change"
	"huicai/internal/clock"
	"huicai/internal/pack"
)

// batchRun is what becomes of one kind's items in batches (汇总提交).
type batchRun struct {
	kind batch.Kind
	// draft items wait in batches not yet exported; submitted ones were
	// exported, stamped and sealed into a package for the province;
	// answered ones also got the province's receipt, which refuses those
	// in refused with reason.
	draft, submitted, answered []int64
	refused                    map[int64]bool
	reason                     string
}

// kinds are the batch kinds a receipt may answer.
var kinds = map[string]batch.Kind{card.Kind.Code(): card.Kind, change.Kind.Code(): change.Kind}

// contact is every seeded batch's 联系人.
var contact = batch.Contact{Person: "张三", Phone: "0531-88364000"}

// noProgress ignores the progress of exports and packages.
func noProgress(int, int) {}

// runBatches takes a kind's items through their batches, BatchSize to a batch.
func (s *seeder) runBatches(r batchRun) error {
	start, size := time.Now(), s.plan.BatchSize
	for _, ids := range chunks(r.draft, size) {
		if _, err := batch.Create(s.ctx, s.db, r.kind, s.leader, ids, contact, client); err != nil {
			return err
		}
	}
	for _, ids := range chunks(r.submitted, size) {
		if _, err := s.send(r.kind, ids); err != nil {
			return err
		}
	}
	for k, ids := range chunks(r.answered, size) {
		b, err := s.send(r.kind, ids)
		if err != nil {
			return err
		}
		if err := s.answer(b, k, r.refused, r.reason); err != nil {
			return err
		}
	}
	s.logf("%s batches: %d items in %s", r.kind.Label(), len(r.draft)+len(r.submitted)+len(r.answered),
		time.Since(start).Round(time.Millisecond))
	return nil
}

// send gathers ids into a batch, exports its papers, uploads the stamped
// scan and submits it, sealing the signed package (提交到省级审核).
func (s *seeder) send(k batch.Kind, ids []int64) (batch.Batch, error) {
	b, err := batch.Create(s.ctx, s.db, k, s.leader, ids, contact, client)
	if err != nil {
		return b, err
	}
	if _, err := s.batches.Export(s.ctx, k, s.leader, b.ID, client, noProgress); err != nil {
		return b, err
	}
	scan, err := put(s.files, randomDocument(b.Number+"-盖章扫描件.pdf", true, 100<<10, 1<<40|uint64(b.ID)))
	if err != nil {
		return b, err
	}
	if _, err := s.batches.AttachScan(s.ctx, k, s.leader, b.ID, scan, client); err != nil {
		return b, err
	}
	return s.batches.Submit(s.ctx, k, s.leader, b.ID, Password, client, noProgress)
}

// answer has the province answer batch b's package with a signed receipt,
// the k-th of its kind, and imports it (导入省级回执). The k-th receipt is
// dated k hundredths into a second, so that receipts issue different card
// numbers (pack.MakeReceipt).
func (s *seeder) answer(b batch.Batch, k int, refused map[int64]bool, reason string) error {
	rejects := map[int64]string{}
	for _, id := range b.ItemIDs {
		if refused[id] {
			rejects[id] = reason
		}
	}
	dir, err := os.MkdirTemp("", "huicai-receipt-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "receipt.zip")
	now := clock.Now().Truncate(time.Second).Add(time.Duration(k)*10*time.Millisecond - time.Second)
	if _, err := pack.MakeReceipt(s.batches.PackagePath(b), s.province, rejects, now, path); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rc, err := pack.ReadReceipt(f, s.provincePEM)
	if err != nil {
		return err
	}
	_, err = s.batches.ImportReceipt(s.ctx, kinds, s.leader, rc, client)
	return err
}

// batchApplications takes the applications past the unit's review into
// batches; the province issues cards for those it accepts.
func (s *seeder) batchApplications() error {
	r := batchRun{kind: card.Kind, refused: map[int64]bool{}, reason: "人才称号不在本年度认定范围内"}
	for i, state := range s.plan.Applications {
		id := s.talents[i].app
		switch state {
		case card.StateBatched:
			r.draft = append(r.draft, id)
		case card.StateProvinceReview:
			r.submitted = append(r.submitted, id)
		case card.StateProvinceRejected:
			r.refused[id] = true
			r.answered = append(r.answered, id)
		case card.StateIssued:
			r.answered = append(r.answered, id)
			s.talents[i].card = true
		}
	}
	return s.runBatches(r)
}
