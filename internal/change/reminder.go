package change

import (
	"context"
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
// and 变动时间 up to the reminder's date.
func LateReminders(ctx context.Context, q store.Querier, u account.User, today time.Time) ([]flow.Reminder, error) {
	before := clock.Day(today.Add(-LateAfter))
	out := []flow.Reminder{
		{Key: RemindLateReview, Label: "变动超过 10 天仍待单位审核", Level: "warning", Date: before},
		{Key: RemindLateApproved, Label: "变动超过 10 天未汇总提交", Level: "warning", Date: before},
	}
	states := map[string]string{RemindLateReview: StateUnitReview, RemindLateApproved: StateApproved}
	if u.Role == account.RoleCommissioner {
		out = []flow.Reminder{{Key: RemindLateRejected, Label: "变动超过 10 天仍审核不通过待修改", Level: "warning", Date: before}}
		states = map[string]string{RemindLateRejected: StateRejected}
	}
	for i, r := range out {
		n, err := Count(ctx, q, Filter{States: []string{states[r.Key]}, To: before}.Scope(u))
		if err != nil {
			return nil, err
		}
		out[i].Count = n
	}
	return out, nil
}

// CountsByState counts all change requests by state, as 审核进度查询 lists
// them under each state, for the leader's home page.
func CountsByState(ctx context.Context, q store.Querier) (map[string]int, error) {
	return store.From(`change_requests r`).CountBy(ctx, q, "r.state")
}
