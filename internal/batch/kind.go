// Package batch owns 汇总提交: a batch gathers approved items of one kind
// (card applications or expert changes), exports the summary papers, takes
// the stamped scan back, seals everything into a signed submission package
// and applies the province's receipt. It is general over kinds: each kind
// implements Kind and keeps its own items' states.
package batch

import (
	"context"
	"database/sql"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/export"
	"huicai/internal/files"
	"huicai/internal/flow"
	"huicai/internal/pack"
	"huicai/internal/store"
)

// Kind is one kind of item a batch can carry.
type Kind interface {
	// Code is the kind's name in code and packages ("card", "change").
	Code() string
	// Label is the kind's name in the UI and packages (惠才卡申领, 专家变动).
	Label() string
	// NumberPrefix starts the kind's batch numbers.
	NumberPrefix() string
	// Reserve moves items into a batch, refusing any that may not go;
	// Release takes them back out; Send marks them submitted to the
	// province. Each runs inside the batch's transaction.
	Reserve(ctx context.Context, tx *sql.Tx, by account.User, ids []int64, client string) error
	Release(ctx context.Context, tx *sql.Tx, by account.User, ids []int64, client string) error
	Send(ctx context.Context, tx *sql.Tx, by account.User, ids []int64, client string) error
	// Papers says how the kind's papers look.
	Papers() Papers
	// Item gathers what the papers and the package need of one item, the
	// seq-th of its batch (counting from 1). The batch asks for its items
	// one at a time, as it writes them, so that a batch of thousands is
	// never held whole in memory (see items.go).
	Item(ctx context.Context, q store.Querier, seq int, id int64) (ItemPapers, error)
	// Apply carries out the province's answer for each item.
	Apply(ctx context.Context, tx *sql.Tx, by account.User, answers []pack.ReceiptItem, client string) error
}

// Papers say how a kind's papers look.
type Papers struct {
	// SheetTitle names the summary sheet and its files (惠才卡申领汇总表).
	SheetTitle string
	Columns    []export.Column
	// FormFolder holds the per-item PDFs (惠才卡申领表); empty if the kind
	// has none.
	FormFolder string
	// DataKey names the list of items' records in data.json.
	DataKey string
}

// ItemPapers is one item as the papers and the package show it.
type ItemPapers struct {
	// Row is its row of the summary sheet.
	Row []string
	// Form is its PDF, when the kind has forms.
	Form *NamedForm
	// Item goes into the manifest and Record into data.json.
	Item   pack.Item
	Record any
	// Attachments are its files, with their paths in the package.
	Attachments []PackFile
}

// NamedForm is one item's form and its file name (without .pdf).
type NamedForm struct {
	Name string
	Form export.Form
}

// PackFile is a stored file and where it goes in a package.
type PackFile struct {
	Path string
	File files.File
}

// Steps carries a kind's items through a batch's life along the kind's
// workflow, each from the state and version it has now. A kind embeds it
// for its names, Reserve, Release and Send.
type Steps struct {
	// KindCode, KindLabel and Prefix are what Code, Label and NumberPrefix
	// return.
	KindCode, KindLabel, Prefix string
	Workflow                    flow.Workflow
	// Load returns an item as a transition starts from it.
	Load func(ctx context.Context, q store.Querier, id int64) (flow.Transition, error)
	// Reserving, Releasing and Sending are the workflow's actions Reserve,
	// Release and Send take; Refusing is the one for an item the province
	// refused (see Answer).
	Reserving, Releasing, Sending, Refusing string
	// NotBatchable refuses an item Reserve may not take, as it is.
	NotBatchable func(item flow.Transition) error
}

// Answer carries out the province's answer for each item: a refused one
// takes Refusing with the province's reason, an accepted one is accept's.
func (s Steps) Answer(ctx context.Context, tx *sql.Tx, by account.User, answers []pack.ReceiptItem, client string,
	accept func(ans pack.ReceiptItem) error) error {
	for _, ans := range answers {
		var err error
		if ans.Accepted {
			err = accept(ans)
		} else {
			err = s.Move(ctx, tx, by, ans.ID, s.Refusing, ans.Reason, client)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Code is the kind's name in code and packages.
func (s Steps) Code() string { return s.KindCode }

// Label is the kind's name in the UI and packages.
func (s Steps) Label() string { return s.KindLabel }

// NumberPrefix starts the kind's batch numbers.
func (s Steps) NumberPrefix() string { return s.Prefix }

// Move moves item id by action, with opinion, inside tx.
func (s Steps) Move(ctx context.Context, tx *sql.Tx, by account.User, id int64, action, opinion, client string) error {
	t, err := s.Load(ctx, tx, id)
	if err != nil {
		return err
	}
	t.Action, t.By, t.ByName, t.Opinion = action, by.Actor(client), by.Name, opinion
	_, err = s.Workflow.Move(ctx, tx, t)
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeConflict && action == s.Reserving {
		return s.NotBatchable(t)
	}
	return err
}

func (s Steps) moveAll(ctx context.Context, tx *sql.Tx, by account.User, ids []int64, action, client string) error {
	for _, id := range ids {
		if err := s.Move(ctx, tx, by, id, action, "", client); err != nil {
			return err
		}
	}
	return nil
}

// Reserve moves items into a batch.
func (s Steps) Reserve(ctx context.Context, tx *sql.Tx, by account.User, ids []int64, client string) error {
	return s.moveAll(ctx, tx, by, ids, s.Reserving, client)
}

// Release takes items back out of a batch.
func (s Steps) Release(ctx context.Context, tx *sql.Tx, by account.User, ids []int64, client string) error {
	return s.moveAll(ctx, tx, by, ids, s.Releasing, client)
}

// Send marks items submitted to the province.
func (s Steps) Send(ctx context.Context, tx *sql.Tx, by account.User, ids []int64, client string) error {
	return s.moveAll(ctx, tx, by, ids, s.Sending, client)
}
