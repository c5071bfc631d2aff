package talent

import (
	"context"

	"huicai/internal/store"
)

// ByIDNumber returns the talent registered with this ID type and number,
// found by its blind index; ErrNotFound when there is none.
func ByIDNumber(ctx context.Context, q store.Querier, idType, number string) (Talent, error) {
	return scanTalent(q.QueryRowContext(ctx, `SELECT `+talentColumns+` FROM talents t JOIN users u ON u.id = t.user_id
		WHERE t.id_index = ?`, idIndex(idType, number)))
}
