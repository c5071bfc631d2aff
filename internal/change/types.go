// Package change owns 报送专家变动: change requests for card holders, the
// unit's review, and — as a batch kind — their submission to the province
// and the effects of the province's answer.
package change

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"huicai/internal/apperr"
	"huicai/internal/store"
)

// Type is one 变动类型 from the maintained list.
type Type struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// MovesOut types send the talent to another unit: 调入单位名称 is required.
	MovesOut bool `json:"moves_out"`
	// Internal types move the talent to another 二级单位 of the unit.
	Internal bool `json:"internal"`
	// EndsCard types end the card's validity once the province accepts them.
	EndsCard bool `json:"ends_card"`
	Active   bool `json:"active"`
}

var seedTypes = []Type{
	{Name: "省内调动（调离本单位）", MovesOut: true, EndsCard: true},
	{Name: "调出本省", MovesOut: true, EndsCard: true},
	{Name: "单位内部调动", Internal: true},
	{Name: "退休"},
	{Name: "去世", EndsCard: true},
	{Name: "出国（境）定居", EndsCard: true},
	{Name: "离职", EndsCard: true},
	{Name: "人才称号撤销", EndsCard: true},
	{Name: "其他"},
}

func typesMigration(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE change_types (
		id INTEGER PRIMARY KEY,
		name TEXT NOT NULL UNIQUE,
		moves_out INTEGER NOT NULL,
		internal INTEGER NOT NULL,
		ends_card INTEGER NOT NULL,
		active INTEGER NOT NULL DEFAULT 1
	)`); err != nil {
		return err
	}
	for _, t := range seedTypes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO change_types(name, moves_out, internal, ends_card) VALUES (?, ?, ?, ?)`,
			t.Name, t.MovesOut, t.Internal, t.EndsCard); err != nil {
			return err
		}
	}
	return nil
}

// Types lists the change types in order; activeOnly leaves out disabled ones.
func Types(ctx context.Context, q store.Querier, activeOnly bool) ([]Type, error) {
	query := `SELECT id, name, moves_out, internal, ends_card, active FROM change_types`
	if activeOnly {
		query += ` WHERE active = 1`
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("change: types: %w", err)
	}
	defer rows.Close()
	out := []Type{}
	for rows.Next() {
		var t Type
		if err := rows.Scan(&t.ID, &t.Name, &t.MovesOut, &t.Internal, &t.EndsCard, &t.Active); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TypeByID returns one change type.
func TypeByID(ctx context.Context, q store.Querier, id int64) (Type, error) {
	var t Type
	err := q.QueryRowContext(ctx, `SELECT id, name, moves_out, internal, ends_card, active FROM change_types WHERE id = ?`, id).
		Scan(&t.ID, &t.Name, &t.MovesOut, &t.Internal, &t.EndsCard, &t.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return Type{}, apperr.InvalidField("change_type_id", "请选择变动类型")
	}
	return t, err
}
