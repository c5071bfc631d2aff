package app

import (
	"strconv"

	"huicai/internal/card"
	"huicai/internal/change"
	"huicai/internal/clock"
	"huicai/internal/talent"
	"huicai/internal/unit"
)

// homeCharts is the leader's unit at a glance: applications and changes by
// state, valid cards by 二级单位 and by 人才类别, applications a month.
// Each count is what the list it links to shows under that filter.
type homeCharts struct {
	Applications []chartBar        `json:"applications"`
	Changes      []chartBar        `json:"changes"`
	Departments  []chartBar        `json:"departments"`
	Categories   []chartBar        `json:"categories"`
	Months       []card.MonthCount `json:"months"`
}

// chartBar is one bar or slice: the filter value it links with, its label
// and count.
type chartBar struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// chartMonths is how many months the applications chart covers.
const chartMonths = 12

func (a *App) homeCharts(r *request) (any, error) {
	ctx := r.Context()
	apps, err := card.Counts(ctx, a.db, r.user)
	if err != nil {
		return nil, err
	}
	changes, err := change.CountsByState(ctx, a.db)
	if err != nil {
		return nil, err
	}
	byDept, err := card.ValidCardsByDepartment(ctx, a.db)
	if err != nil {
		return nil, err
	}
	byCategory, err := card.ValidCardsByCategory(ctx, a.db)
	if err != nil {
		return nil, err
	}
	deps, err := unit.Departments(ctx, a.db, false)
	if err != nil {
		return nil, err
	}
	cats, err := talent.Options(ctx, a.db, talent.KindCategory, false)
	if err != nil {
		return nil, err
	}
	months, err := card.ApplicationsByMonth(ctx, a.db, clock.Now(), chartMonths)
	if err != nil {
		return nil, err
	}
	out := homeCharts{Months: months}
	for _, s := range card.StateOrder {
		out.Applications = append(out.Applications, chartBar{Key: s, Label: card.StateLabels[s], Count: apps[s]})
	}
	for _, s := range change.StateOrder {
		out.Changes = append(out.Changes, chartBar{Key: s, Label: change.StateLabels[s], Count: changes[s]})
	}
	for _, d := range deps {
		out.Departments = append(out.Departments, chartBar{Key: strconv.FormatInt(d.ID, 10), Label: d.Name, Count: byDept[strconv.FormatInt(d.ID, 10)]})
	}
	for _, c := range cats {
		out.Categories = append(out.Categories, chartBar{Key: c.Name, Label: c.Name, Count: byCategory[c.Name]})
	}
	return out, nil
}
