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
	"huicai/internal/export"
	"huicai/internal/files"
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
	// Papers gathers what the exports and the package need of the items.
	Papers(ctx context.Context, q store.Querier, ids []int64) (Papers, error)
	// Apply carries out the province's answer for each item.
	Apply(ctx context.Context, tx *sql.Tx, by account.User, answers []pack.ReceiptItem, client string) error
}

// Papers are a batch's items as the exports and the package show them.
type Papers struct {
	// SheetTitle names the summary sheet and its files (惠才卡申领汇总表).
	SheetTitle string
	Columns    []export.Column
	Rows       [][]string
	// Forms are per-item PDFs (惠才卡申领表), if the kind has them.
	FormFolder string
	Forms      []NamedForm
	// Items and Data go into the manifest and data.json.
	Items []pack.Item
	Data  any
	// Attachments are the items' files, with their paths in the package.
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
