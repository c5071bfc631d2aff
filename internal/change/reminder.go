package change

import (
	"context"
	"fmt"
	"time"

	"huicai/internal/account"
	"huicai/internal/clock"
	"huicai/internal/flow"
	"huicai/internal/store"
)

// LateAfter is how long after its change date a change may wait before
// it is reported to the province in a batch.
const LateAfter = 10 * 24 * time.Hour

// Reminder keys of late change requests, each a list under a filter.
const (
	RemindLateReview   = "change_late_review"   // 待单位审核, changed more than LateAfter ago
	RemindLateApproved = "change_late_approved" // 审核通过 but not batched
	RemindLateRejected = "change_late_rejected" // 审核不通过, not corrected
)

// LateReminders counts the change requests not yet in a batch whose
// change happened more than LateAfter before today, by the state that
// holds them: the leader's to review or to batch, a commissioner's
// rejected ones to correct — what the change lists show under the state
// and 变动时间 up to the reminder's date. They are added up from the
// counts kept by day (change_request_days), one row a day, however many
// requests a day holds.
func LateReminders(ctx context.Context, q store.Querier, u account.User, today time.Time) ([]flow.Reminder, error) {
	before := clock.Day(today.Add(-LateAfter))
	out := []flow.Reminder{
		{Key: RemindLateReview, Label: "变动超过 10 天仍待单位审核", Level: "warning", Date: before},
		{Key: RemindLateApproved, Label: "变动超过 10 天未汇总提交", Level: "warning", Date: before},
	}
	states, commissioner := map[string]string{RemindLateReview: StateUnitReview, RemindLateApproved: StateApproved}, int64(flow.AllCommissioners)
	if u.Role == account.RoleCommissioner {
		out = []flow.Reminder{{Key: RemindLateRejected, Label: "变动超过 10 天仍审核不通过待修改", Level: "warning", Date: before}}
		states, commissioner = map[string]string{RemindLateRejected: StateRejected}, u.ID
	}
	for i, r := range out {
		err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM change_request_days
			WHERE commissioner_id = ? AND state = ? AND change_date <= ?`, commissioner, states[r.Key], before).Scan(&out[i].Count)
		if err != nil {
			return nil, fmt.Errorf("change: late requests: %w", err)
		}
	}
	return out, nil
}

// countsTable keeps the requests' counts by commissioner and state.
const countsTable = "change_request_counts"

// countsMigrations keep the requests' counts by commissioner and state,
// and by change date too (see flow.KeepCounts).
var countsMigrations = []store.Migration{
	flow.KeepCounts(70, "change: counts by commissioner and state", "change_requests", countsTable),
	flow.KeepCounts(71, "change: counts by commissioner, state and change date", "change_requests", "change_request_days", "change_date"),
}

// CountsByState counts all change requests by state, as 审核进度查询 lists
// them under each state, for the leader's home page.
func CountsByState(ctx context.Context, q store.Querier) (map[string]int, error) {
	counts, err := flow.Counts(ctx, q, countsTable, flow.AllCommissioners)
	if err != nil {
		return nil, fmt.Errorf("change: counts: %w", err)
	}
	return counts, nil
}
