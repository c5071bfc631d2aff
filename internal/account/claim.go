package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"huicai/internal/store"
	"huicai/internal/vault"
)

// Unclaimed reports whether user id is a record no one signs in to yet
// (NoPassword): a talent imported by the unit.
func Unclaimed(ctx context.Context, q store.Querier, id int64) (bool, error) {
	var hash string
	err := q.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, id).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("account: unclaimed: %w", err)
	}
	return hash == NoPassword, nil
}

// Claim turns the unclaimed record id into u's account: its username,
// name, mobile and password. It fails with store.ErrNotFound if the record
// was claimed meanwhile.
func Claim(ctx context.Context, tx *sql.Tx, id int64, u User, passwordHash string) (User, error) {
	res, err := tx.ExecContext(ctx, `UPDATE users SET username = ?, name = ?, mobile = ?, password_hash = ?, updated_at = ?
		WHERE id = ? AND password_hash = ?`, u.Username, u.Name, vault.Seal(u.Mobile), passwordHash, store.Now(), id, NoPassword)
	if err != nil {
		if store.IsUnique(err) {
			return User{}, ErrUsernameTaken
		}
		return User{}, fmt.Errorf("account: claim: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return User{}, store.ErrNotFound
	}
	u.ID = id
	return u, nil
}
