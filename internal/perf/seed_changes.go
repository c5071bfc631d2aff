package perf

import (
	"errors"
	"time"

	"huicai/internal/card"
	"huicai/internal/change"
	"huicai/internal/clock"
)

// reportChanges has the commissioners report changes of card holders (报送
// 专家变动) — each holder's with types of their own, so that none is a
// second open one of a type — and takes each to its planned state.
func (s *seeder) reportChanges() error {
	holders := s.holders()
	if len(holders) == 0 {
		return errors.New("perf: no card holders to report changes of")
	}
	types, err := change.Types(s.ctx, s.db, true)
	if err != nil {
		return err
	}
	ids := make([]int64, len(s.plan.Changes))
	err = s.each("changes", len(ids), func(j int) error {
		i, k := holders[j%len(holders)], j/len(holders)
		in, err := s.changeInput(i, j, types[(i+k)%len(types)])
		if err != nil {
			return err
		}
		r, err := change.Apply(s.ctx, s.db, s.commissionerOf(i), in, client)
		if err != nil {
			return err
		}
		ids[j] = r.ID
		return s.decideChange(i, r, s.plan.Changes[j])
	})
	if err != nil {
		return err
	}
	return s.batchChanges(ids)
}

// changeInput is the j-th change, of talent i's card: a change of type t
// some days ago, not before the card was issued.
func (s *seeder) changeInput(i, j int, t change.Type) (change.Input, error) {
	held, err := card.HeldBy(s.ctx, s.db, s.talents[i].id)
	if err != nil {
		return change.Input{}, err
	}
	date := clock.Now().AddDate(0, 0, -j%60).Format(time.DateOnly)
	in := change.Input{TalentID: s.talents[i].id, TypeID: t.ID, ChangeDate: max(date, held.IssuedOn),
		Description: "因工作需要，" + t.Name + "，特此报送。"}
	if t.MovesOut {
		in.ReceivingUnitName = "山东省科学院"
	}
	if t.Internal {
		in.NewDepartmentID = s.departments[(i+1)%len(s.departments)]
	}
	return in, nil
}

// decideChange takes the unit's steps that bring request r to state:
// the leader's review, the commissioner's withdrawal, the leader's delete.
func (s *seeder) decideChange(i int, r change.Request, state string) error {
	decide := func(d change.Decision, byLeader bool) error {
		u := s.commissionerOf(i)
		if byLeader {
			u = s.leader
		}
		d.Version = r.Version
		var err error
		r, err = change.Decide(s.ctx, s.db, u, r.ID, d, client)
		return err
	}
	switch state {
	case change.StateUnitReview:
		return nil
	case change.StateRejected:
		return decide(change.Decision{Action: change.ActionReject, RejectReason: "变动发生日期与证明材料不一致"}, true)
	case change.StateWithdrawn:
		return decide(change.Decision{Action: change.ActionWithdraw}, false)
	}
	if err := decide(change.Decision{Action: change.ActionApprove}, true); err != nil || state != change.StateDeleted {
		return err
	}
	return decide(change.Decision{Action: change.ActionDelete}, true)
}

// batchChanges takes the approved changes past the unit into batches.
func (s *seeder) batchChanges(ids []int64) error {
	r := batchRun{kind: change.Kind, refused: map[int64]bool{}, reason: "变动证明材料不完整"}
	for j, state := range s.plan.Changes {
		switch state {
		case change.StateBatched:
			r.draft = append(r.draft, ids[j])
		case change.StateProvinceReview:
			r.submitted = append(r.submitted, ids[j])
		case change.StateProvinceRejected:
			r.refused[ids[j]] = true
			r.answered = append(r.answered, ids[j])
		case change.StateAccepted:
			r.answered = append(r.answered, ids[j])
		}
	}
	return s.runBatches(r)
}
