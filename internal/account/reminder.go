package account

import (
	"context"
	"fmt"
	"time"

	"huicai/internal/flow"
	"huicai/internal/store"
)

// PendingTooLong is how long a commissioner's registration may wait for
// the leader's review before 系统首页 reminds of it.
const PendingTooLong = 3 * 24 * time.Hour

// RemindStaffPending is the key of the reminder of long-pending staff.
const RemindStaffPending = "staff_pending_long"

// StaffPendingReminder counts the commissioners whose registration has
// waited for review longer than PendingTooLong.
func StaffPendingReminder(ctx context.Context, q store.Querier, now time.Time) (flow.Reminder, error) {
	r := flow.Reminder{Key: RemindStaffPending, Label: "待审核超过 3 天的服务专员", Level: "warning"}
	// CROSS JOIN keeps SQLite reading staff first: users holds every talent too.
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff s CROSS JOIN users u ON u.id = s.user_id
		WHERE u.status = ? AND u.created_at < ?`, StatusPending, store.Timestamp(now.Add(-PendingTooLong))).Scan(&r.Count)
	if err != nil {
		return r, fmt.Errorf("account: pending staff: %w", err)
	}
	return r, nil
}
