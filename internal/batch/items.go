package batch

import (
	"context"

	"huicai/internal/pack"
	"huicai/internal/store"
)

// A batch's items are read one at a time, as its papers and package are
// written: at a big unit's scale a batch holds 9,000 applications, whose
// forms, records and attachments together are tens of megabytes. Only
// what must be whole before anything is written — the summary's rows, the
// manifest's items and the package's list of files — is gathered.

// eachItem hands fn the papers of ids, one after the other, in order.
func eachItem(ctx context.Context, q store.Querier, k Kind, ids []int64, fn func(ItemPapers) error) error {
	for i, id := range ids {
		ip, err := k.Item(ctx, q, i+1, id)
		if err != nil {
			return err
		}
		if err := fn(ip); err != nil {
			return err
		}
	}
	return nil
}

// Rows are the summary sheet's rows of the items ids, in order.
func Rows(ctx context.Context, q store.Querier, k Kind, ids []int64) ([][]string, error) {
	rows := make([][]string, 0, len(ids))
	err := eachItem(ctx, q, k, ids, func(ip ItemPapers) error {
		rows = append(rows, ip.Row)
		return nil
	})
	return rows, err
}

// records is data.json's list of the items' records, read again as the
// package writes it.
func records(ctx context.Context, q store.Querier, k Kind, ids []int64) pack.Records {
	return func(each func(record any) error) error {
		return eachItem(ctx, q, k, ids, func(ip ItemPapers) error { return each(ip.Record) })
	}
}

// formFile is the export's path of the form of ip.
func formFile(p Papers, ip ItemPapers) string { return p.FormFolder + "/" + ip.Form.Name + ".pdf" }
