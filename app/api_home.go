package app

import (
	"huicai/internal/account"
	"huicai/internal/card"
	"huicai/internal/change"
	"huicai/internal/clock"
	"huicai/internal/flow"
)

// homeView is what 系统首页 shows: the user's to-do counts, the reminders
// of their role (到期提醒 and the like), and a talent's own card.
type homeView struct {
	Card         map[string]int  `json:"card"`
	StaffPending int             `json:"staff_pending"`
	Reminders    []flow.Reminder `json:"reminders"`
	// MyCard is a talent's latest card; nil for others and card-less talents.
	MyCard *card.MyCard `json:"my_card"`
}

// home returns 系统首页's counts and reminders for the user's role.
func (a *App) home(r *request) (any, error) {
	ctx, now := r.Context(), clock.Now()
	counts, err := card.Counts(ctx, a.db, r.user)
	if err != nil {
		return nil, err
	}
	out := homeView{Card: counts, Reminders: []flow.Reminder{}}
	switch r.user.Role {
	case account.RoleTalent:
		if mine, ok, err := card.MyCardOf(ctx, a.db, r.user.ID, now); err != nil {
			return nil, err
		} else if ok {
			out.MyCard = &mine
		}
		return out, nil
	case account.RoleLeader:
		staff, err := account.StaffCounts(ctx, a.db)
		if err != nil {
			return nil, err
		}
		out.StaffPending = staff[account.StatusPending]
		pending, err := account.StaffPendingReminder(ctx, a.db, now)
		if err != nil {
			return nil, err
		}
		out.Reminders = append(out.Reminders, pending)
	}
	commissioner := int64(0)
	if r.user.Role == account.RoleCommissioner {
		commissioner = r.user.ID
	}
	cards, err := card.ExpiryReminders(ctx, a.db, commissioner, now)
	if err != nil {
		return nil, err
	}
	late, err := change.LateReminders(ctx, a.db, r.user, now)
	if err != nil {
		return nil, err
	}
	out.Reminders = append(append(out.Reminders, cards...), late...)
	return out, nil
}
