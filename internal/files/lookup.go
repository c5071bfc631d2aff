package files

import (
	"context"
	"database/sql"
	"fmt"

	"huicai/internal/store"
)

// IDsWithSum returns the ids of the files whose bytes hash to sum (SHA-256,
// hex): the same bytes stored more than once.
func IDsWithSum(ctx context.Context, q store.Querier, sum string) ([]int64, error) {
	ids, err := store.Rows(ctx, q, func(rows *sql.Rows) (id int64, err error) {
		return id, rows.Scan(&id)
	}, `SELECT id FROM files WHERE sha256 = ?`, sum)
	if err != nil {
		return nil, fmt.Errorf("files: by sum: %w", err)
	}
	return ids, nil
}
