package app

import (
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"strconv"

	"huicai/internal/account"
	"huicai/internal/apperr"
	"huicai/internal/audit"
	"huicai/internal/batch"
	"huicai/internal/card"
	"huicai/internal/change"
	"huicai/internal/clock"
	"huicai/internal/export"
	"huicai/internal/files"
	"huicai/internal/store"
	"huicai/internal/talent"
	"huicai/internal/unit"
	"huicai/internal/validate"
)

// listSheet is what 导出Excel writes of a list: every row its filter
// selects, read page by page through the list's own handler (so the sheet
// holds exactly the rows the list shows, masked as it shows them), under
// the list's columns.
type listSheet[T any] struct {
	title   string
	columns []export.Column
	// list is the list's handler, reading the filter from the request.
	list func(r *request) (store.Page[T], error)
	// cells are a row's cells; names resolves 二级单位 ids.
	cells func(row T, names departmentNames) []string
}

// errNothingToExport answers an export whose filter selects no row: a
// message instead of an empty file.
var errNothingToExport = apperr.Conflict("当前筛选条件下没有记录，无需导出；请调整筛选条件后再导出")

// listExportLimit bounds one export: a unit's whole roster fits.
const listExportLimit = 100000

// departmentNames maps 二级单位 ids to their names.
type departmentNames map[int64]string

// rows reads every page of the list the request's filter selects.
func (s listSheet[T]) rows(r *request) ([]T, error) {
	var out []T
	for page := 1; ; page++ {
		paged := r.withQuery("page", strconv.Itoa(page), "page_size", strconv.Itoa(store.MaxPageSize))
		p, err := s.list(paged)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if len(p.Items) < store.MaxPageSize || len(out) >= min(p.Total, listExportLimit) {
			return out[:min(len(out), listExportLimit)], nil
		}
	}
}

// withQuery is r with the query parameters pairs (name, value, …) set.
func (r *request) withQuery(pairs ...string) *request {
	q := r.URL.Query()
	for i := 0; i+1 < len(pairs); i += 2 {
		q.Set(pairs[i], pairs[i+1])
	}
	out := *r
	out.Request = r.Clone(r.Context())
	out.URL = &url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
	return &out
}

// sheet builds the xlsx of the list and records the export in the audit log.
func (a *App) sheet(r *request, title string, columns []export.Column, rows [][]string) (string, func(io.Writer) error, error) {
	u, err := unit.Get(r.Context(), a.db)
	if err != nil {
		return "", nil, err
	}
	err = a.db.Tx(r.Context(), func(tx *sql.Tx) error {
		return audit.Append(r.Context(), tx, audit.Entry{Actor: r.user.Actor(r.client), Action: "导出列表", Object: title,
			Outcome: audit.OK, Detail: fmt.Sprintf("%d 行；筛选条件：%s", len(rows), orAll(r.URL.RawQuery))})
	})
	if err != nil {
		return "", nil, err
	}
	s := export.Sheet{Title: title, UnitName: u.Name, USCC: u.USCC, BatchNo: "—", Date: batch.ChineseDate(clock.Now()),
		Contact: fmt.Sprintf("共 %d 条（证件号码、手机号码已按列表脱敏）", len(rows)), Columns: columns, Rows: rows}
	name := title + "-" + clock.Now().Format("20060102") + ".xlsx"
	return name, func(w io.Writer) error { return export.WriteXLSX(w, s) }, nil
}

// exportList answers 导出Excel of the list s: a download in a browser, or
// (save) a file the user picks in the desktop's native dialog.
func exportList[T any](a *App, s listSheet[T], save bool) func(r *request) (any, error) {
	return func(r *request) (any, error) {
		items, err := s.rows(r)
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return nil, errNothingToExport
		}
		deps, err := unit.Departments(r.Context(), a.db, false)
		if err != nil {
			return nil, err
		}
		names := departmentNames{}
		for _, d := range deps {
			names[d.ID] = d.Name
		}
		cells := make([][]string, len(items))
		for i, it := range items {
			cells[i] = s.cells(it, names)
		}
		name, write, err := a.sheet(r, s.title, s.columns, cells)
		if err != nil {
			return nil, err
		}
		if save {
			return saveAs(r, "导出Excel", name, xlsxFilter, write)
		}
		return download{name: name, typ: files.TypeXLSX, write: write}, nil
	}
}

// listExportRoutes are the 导出Excel routes of the business lists, each
// beside its list and with its roles.
func (a *App) listExportRoutes() []route {
	var out []route
	add := func(path string, roles []account.Role, download, save handlerFunc) {
		out = append(out, route{"GET " + path + "/export/download", roles, a.oneSheetAtATime(download)},
			route{"POST " + path + "/export/save", roles, a.oneSheetAtATime(save)})
	}
	add("/api/talents", leaderOrCommissioner, exportList(a, a.talentSheet(), false), exportList(a, a.talentSheet(), true))
	add("/api/applications", anyRole, exportList(a, a.applicationSheet(), false), exportList(a, a.applicationSheet(), true))
	add("/api/changes", leaderOrCommissioner, exportList(a, a.changeSheet(), false), exportList(a, a.changeSheet(), true))
	add("/api/card-holders", leaderOrCommissioner, exportList(a, a.holderSheet(), false), exportList(a, a.holderSheet(), true))
	return out
}

// chinaTime shows a stored UTC time as the office reads it.
func chinaTime(utc string) string {
	t, err := store.ParseTime(utc)
	if err != nil {
		return utc
	}
	return validate.ChinaTime(t)
}

func (a *App) talentSheet() listSheet[talent.Talent] {
	return listSheet[talent.Talent]{title: "高层次人才列表", list: a.talentsPage,
		columns: []export.Column{{Header: "姓名", Width: 12}, {Header: "性别", Width: 6}, {Header: "证件类型", Width: 12},
			{Header: "证件号码", Width: 22, Text: true}, {Header: "手机号码", Width: 14, Text: true}, {Header: "所在二级单位", Width: 20},
			{Header: "人才类别", Width: 16}, {Header: "人才称号", Width: 20}, {Header: "称号获得时间", Width: 14}},
		cells: func(t talent.Talent, names departmentNames) []string {
			return []string{t.Name, t.Gender, t.IDType, t.IDNumber, t.Mobile, names[t.DepartmentID], t.Category, t.Title, t.TitleDate}
		}}
}

func (a *App) applicationSheet() listSheet[card.Row] {
	return listSheet[card.Row]{title: "惠才卡申领列表", list: a.applicationsPage,
		columns: []export.Column{{Header: "姓名", Width: 12}, {Header: "性别", Width: 6}, {Header: "证件号码", Width: 22, Text: true},
			{Header: "所在二级单位", Width: 20}, {Header: "人才类别", Width: 16}, {Header: "人才称号", Width: 20},
			{Header: "当前环节", Width: 14}, {Header: "状态", Width: 14}, {Header: "更新时间", Width: 20}},
		cells: func(row card.Row, names departmentNames) []string {
			return []string{row.Name, row.Gender, row.IDNumber, names[row.DepartmentID], row.Category, row.Title, row.Step,
				row.StateLabel, chinaTime(row.UpdatedAt)}
		}}
}

func (a *App) changeSheet() listSheet[change.Row] {
	return listSheet[change.Row]{title: "专家变动列表", list: a.changesPage,
		columns: []export.Column{{Header: "中文名", Width: 12}, {Header: "性别", Width: 6}, {Header: "手机号码", Width: 14, Text: true},
			{Header: "惠才卡号", Width: 18, Text: true}, {Header: "变动类型", Width: 20}, {Header: "变动时间", Width: 12},
			{Header: "当前环节", Width: 14}, {Header: "状态", Width: 14}, {Header: "服务专员", Width: 12}},
		cells: func(row change.Row, _ departmentNames) []string {
			return []string{row.Name, row.Gender, row.Mobile, row.CardNo, row.TypeName, row.ChangeDate, row.Step, row.StateLabel,
				row.CommissionerName}
		}}
}

func (a *App) holderSheet() listSheet[card.Holder] {
	return listSheet[card.Holder]{title: "持卡人才列表", list: a.holdersPage,
		columns: []export.Column{{Header: "姓名", Width: 12}, {Header: "性别", Width: 6}, {Header: "证件号码", Width: 22, Text: true},
			{Header: "所在二级单位", Width: 20}, {Header: "惠才卡号", Width: 18, Text: true}, {Header: "发卡日期", Width: 12},
			{Header: "有效期至", Width: 12}, {Header: "状态", Width: 8}, {Header: "失效原因", Width: 24}},
		cells: func(h card.Holder, names departmentNames) []string {
			reason := h.InvalidReason
			if reason != "" {
				reason += "（" + h.InvalidOn + "）"
			}
			return []string{h.Name, h.Gender, h.IDNumber, names[h.DepartmentID], h.CardNo, h.IssuedOn, h.ExpiresOn, h.Status, reason}
		}}
}
