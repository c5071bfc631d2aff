package perf

import (
	"fmt"
	"time"

	"huicai/internal/card"
	"huicai/internal/clock"
)

// materials are application i's 补充材料, complete.
func materials(i int) card.Materials {
	return card.Materials{HighestEducation: "博士研究生", HighestDegree: "博士", SchoolMajor: "山东大学 材料科学与工程",
		ProfessionalTitle: "教授", CurrentPosition: "研究所所长", Field: "新材料与先进制造",
		TitleDocument: fmt.Sprintf("鲁人社字〔%d〕%d号", 2015+i%8, 10+i%90),
		Achievements: "长期从事高性能结构材料研究，主持国家重点研发计划项目2项、国家自然科学基金项目5项，" +
			"发表学术论文百余篇，获授权发明专利30余项，成果在省内多家企业转化应用，获省科学技术进步奖一等奖。",
		PostalAddress: "济南市历城区山大南路27号", PostalCode: "250100"}
}

// prepareApplications takes every application as far as its commissioner
// and the leader go before a batch: attachments uploaded into the file
// store, materials saved or submitted, the leader's review.
func (s *seeder) prepareApplications() error {
	return s.each("applications", len(s.talents), func(i int) error {
		switch s.plan.Applications[i] {
		case card.StateSupplement:
			return s.draft(i)
		default:
			return s.submit(i)
		}
	})
}

// draft leaves every other application waiting for materials with a
// scan and a saved draft, the rest untouched.
func (s *seeder) draft(i int) error {
	if i%2 == 1 {
		return nil
	}
	if err := s.attach(i, card.KindIDScan, smallFile); err != nil {
		return err
	}
	m := card.Materials{HighestEducation: "博士研究生", SchoolMajor: "山东大学 化学"}
	t := &s.talents[i]
	a, err := card.Save(s.ctx, s.db, s.commissionerOf(i), t.app, card.Draft{Version: t.version, Materials: m}, client)
	t.version = a.Version
	return err
}

// submit uploads both scans (large ones for the applications ready for
// 汇总提交), submits the materials and has the leader review them.
func (s *seeder) submit(i int) error {
	state := s.plan.Applications[i]
	scan, proof := smallFile, smallFile
	if state == card.StateUnitApproved {
		scan, proof = bigScan, bigProof
	}
	if err := s.attach(i, card.KindIDScan, scan); err != nil {
		return err
	}
	if err := s.attach(i, card.KindTitleProof, proof); err != nil {
		return err
	}
	t := &s.talents[i]
	a, err := card.Submit(s.ctx, s.db, s.commissionerOf(i), t.app, card.Draft{Version: t.version, Materials: materials(i)}, client)
	if err != nil {
		return err
	}
	t.version = a.Version
	d := card.Decision{Version: t.version, Result: card.ActionApprove, Opinion: "材料齐全，同意申领"}
	switch state {
	case card.StateUnitReview:
		return nil
	case card.StateReturned:
		d.Result, d.Opinion = card.ActionReject, "人才称号证明材料不清晰，请重新上传"
	}
	a, err = card.Review(s.ctx, s.db, s.leader, t.app, d, client)
	t.version = a.Version
	return err
}

// attach uploads a scan of about size bytes as talent i's commissioner
// (上传附件): sealed into the file store, then recorded.
func (s *seeder) attach(i int, kind string, size int) error {
	name, pdf, seed := nameAt(i)+"-身份证.jpg", false, uint64(i)*2
	if kind == card.KindTitleProof {
		name, pdf, seed = nameAt(i)+"-人才称号证书.pdf", true, seed+1
	}
	f, err := put(s.files, randomDocument(name, pdf, size, seed))
	if err != nil {
		return err
	}
	_, err = card.Attach(s.ctx, s.db, s.commissionerOf(i), s.talents[i].app, kind, f, client)
	return err
}

// recordExistingCards records cards issued before the unit used the
// program (登记已有惠才卡) for talents whose application has not gone to
// the province, issued over the last four years.
func (s *seeder) recordExistingCards() error {
	var picked []int
	for i, state := range s.plan.Applications {
		if len(picked) < s.plan.ExistingCards && !s.talents[i].card &&
			(state == card.StateSupplement || state == card.StateUnitReview || state == card.StateReturned) {
			picked = append(picked, i)
		}
	}
	today := clock.Now()
	return s.each("existing cards", len(picked), func(k int) error {
		i := picked[k]
		in := card.ExistingCard{TalentID: s.talents[i].id, CardNo: fmt.Sprintf("鲁惠才E%07d", i),
			IssuedOn: today.AddDate(0, 0, -90-i%1300).Format(time.DateOnly)}
		if _, err := card.RecordExisting(s.ctx, s.db, s.leader, in, client); err != nil {
			return err
		}
		s.talents[i].card = true
		return nil
	})
}

// holders are the indexes of the talents holding a card, in order.
func (s *seeder) holders() []int {
	var out []int
	for i, t := range s.talents {
		if t.card {
			out = append(out, i)
		}
	}
	return out
}
