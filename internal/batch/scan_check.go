package batch

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path"
	"strings"

	"huicai/internal/files"
	"huicai/internal/store"
)

// unstampedScan tells, when the batch's stamped scan is byte for byte one of
// its own exported papers, that it was never printed, signed, stamped and
// scanned; "" otherwise. It is a warning, not a refusal: the leader decides.
func unstampedScan(ctx context.Context, q store.Querier, b Batch) (string, error) {
	if b.Scan == nil {
		return "", nil
	}
	ids, err := files.IDsWithSum(ctx, q, b.Scan.SHA256)
	if err != nil || len(ids) == 0 {
		return "", err
	}
	args := []any{b.ID}
	for _, id := range ids {
		args = append(args, id)
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	var name string
	err = q.QueryRowContext(ctx, `SELECT name FROM batch_exports WHERE batch_id = ? AND file_id IN (`+marks+`)
		ORDER BY position LIMIT 1`, args...).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("batch: scan check: %w", err)
	}
	return "上传的扫描件与导出的“" + path.Base(name) + "”完全相同，没有经过打印、签字盖章和扫描。" +
		"请打印汇总表，由单位负责人签字并加盖单位公章，扫描后重新上传。", nil
}
