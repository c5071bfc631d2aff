package app

import (
	"database/sql"
	"io"

	"huicai/internal/account"
	"huicai/internal/audit"
	"huicai/internal/batch"
	"huicai/internal/clock"
	"huicai/internal/export"
	"huicai/internal/files"
	"huicai/internal/talent"
	"huicai/internal/unit"
)

func (a *App) listDepartments(r *request) (any, error) {
	return unit.Departments(r.Context(), a.db, false)
}

type nameRequest struct {
	Name string `json:"name"`
}

type activeRequest struct {
	Active bool `json:"active"`
}

// audited runs one change to a maintained list inside a transaction with its
// audit row; object names what changed.
func audited[T any](a *App, r *request, action string, object func(T) string, change func(tx *sql.Tx) (T, error)) (any, error) {
	var v T
	err := a.db.Tx(r.Context(), func(tx *sql.Tx) error {
		var err error
		if v, err = change(tx); err != nil {
			return err
		}
		return audit.Append(r.Context(), tx, audit.Entry{Actor: r.user.Actor(r.client), Action: action, Object: object(v), Outcome: audit.OK})
	})
	return v, err
}

func departmentObject(d unit.Department) string { return "二级单位 " + d.Name }

func optionObject(o talent.Option) string {
	return map[string]string{talent.KindCategory: "人才类别 ", talent.KindTitle: "人才称号 "}[o.Kind] + o.Name
}

func (a *App) departmentChange(r *request, action string, change func(tx *sql.Tx) (unit.Department, error)) (any, error) {
	return audited(a, r, action, departmentObject, change)
}

func (a *App) createDepartment(r *request) (any, error) {
	var in nameRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return a.departmentChange(r, "新增二级单位", func(tx *sql.Tx) (unit.Department, error) {
		return unit.CreateDepartment(r.Context(), tx, in.Name)
	})
}

func (a *App) renameDepartment(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var in nameRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return a.departmentChange(r, "重命名二级单位", func(tx *sql.Tx) (unit.Department, error) {
		old, err := unit.RenameDepartment(r.Context(), tx, id, in.Name)
		old.Name += " → " + in.Name
		return old, err
	})
}

func (a *App) setDepartmentActive(r *request) (any, error) {
	return activeChange(r, "二级单位", a.departmentChange, func(tx *sql.Tx, id int64, active bool) (unit.Department, error) {
		return unit.SetDepartmentActive(r.Context(), tx, id, active)
	})
}

// activeChange reads the {id} and {active} of a 启用/停用 request for one
// entry of a maintained list and applies it with its audit row.
func activeChange[T any](r *request, what string, change func(*request, string, func(*sql.Tx) (T, error)) (any, error),
	set func(tx *sql.Tx, id int64, active bool) (T, error)) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var in activeRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	action := map[bool]string{true: "启用", false: "停用"}[in.Active] + what
	return change(r, action, func(tx *sql.Tx) (T, error) { return set(tx, id, in.Active) })
}

func (a *App) deleteDepartment(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return a.departmentChange(r, "删除二级单位", func(tx *sql.Tx) (unit.Department, error) {
		return unit.DeleteDepartment(r.Context(), tx, id)
	})
}

func (a *App) listOptions(r *request) (any, error) {
	return talent.Options(r.Context(), a.db, r.URL.Query().Get("kind"), false)
}

func (a *App) optionChange(r *request, action string, change func(tx *sql.Tx) (talent.Option, error)) (any, error) {
	return audited(a, r, action, optionObject, change)
}

func (a *App) createOption(r *request) (any, error) {
	var in talent.Option
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	in.ID = 0
	return a.optionChange(r, "新增选项", func(tx *sql.Tx) (talent.Option, error) { return talent.SaveOption(r.Context(), tx, in) })
}

func (a *App) renameOption(r *request) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var in nameRequest
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	return a.optionChange(r, "修改选项", func(tx *sql.Tx) (talent.Option, error) {
		return talent.SaveOption(r.Context(), tx, talent.Option{ID: id, Name: in.Name, Kind: talent.KindCategory})
	})
}

func (a *App) setOptionActive(r *request) (any, error) {
	return activeChange(r, "选项", a.optionChange, func(tx *sql.Tx, id int64, active bool) (talent.Option, error) {
		return talent.SetOptionActive(r.Context(), tx, id, active)
	})
}

type auditPage struct {
	audit.Page
	Actions []string `json:"actions"`
}

func (a *App) listAudit(r *request) (any, error) {
	q := r.URL.Query()
	p, err := audit.List(r.Context(), a.db, audit.Filter{From: q.Get("from"), To: q.Get("to"), User: q.Get("user"),
		Action: q.Get("action"), Sort: q.Get("sort"), Page: queryInt(r, "page"), PageSize: queryInt(r, "page_size")})
	if err != nil {
		return nil, err
	}
	actions, err := audit.Actions(r.Context(), a.db)
	return auditPage{Page: p, Actions: actions}, err
}

// auditExportLimit bounds one export; narrower ranges export the rest.
const auditExportLimit = 100000

func (a *App) auditSheet(r *request) (string, func(io.Writer) error, error) {
	q := r.URL.Query()
	f := audit.Filter{From: q.Get("from"), To: q.Get("to"), User: q.Get("user"), Action: q.Get("action"), Sort: q.Get("sort"),
		PageSize: auditExportLimit}
	rows, err := audit.Export(r.Context(), a.db, f, auditExportLimit)
	if err != nil {
		return "", nil, err
	}
	if len(rows) == 0 {
		return "", nil, errNothingToExport
	}
	u, err := unit.Get(r.Context(), a.db)
	if err != nil {
		return "", nil, err
	}
	sheet := export.Sheet{Title: "审计日志", UnitName: u.Name, USCC: u.USCC, BatchNo: "—", Date: batch.ChineseDate(clock.Now()),
		Contact: "范围：" + orAll(f.From) + " 至 " + orAll(f.To), Columns: auditColumns}
	for _, row := range rows {
		sheet.Rows = append(sheet.Rows, []string{row.At, row.Username, roleLabel(row.Role), row.Action, row.Object, row.Outcome,
			row.Detail, row.Client, row.Hash})
	}
	name := "审计日志-" + clock.Now().Format("20060102") + ".xlsx"
	return name, func(w io.Writer) error { return export.WriteXLSX(w, sheet) }, nil
}

var auditColumns = []export.Column{{Header: "时间（UTC）", Width: 24}, {Header: "用户", Width: 14}, {Header: "角色", Width: 10},
	{Header: "操作", Width: 16}, {Header: "对象", Width: 30}, {Header: "结果", Width: 8}, {Header: "详情", Width: 30},
	{Header: "客户端地址", Width: 16, Text: true}, {Header: "哈希", Width: 30, Text: true}}

func orAll(d string) string {
	if d == "" {
		return "不限"
	}
	return d
}

func roleLabel(r string) string {
	if r == "" {
		return ""
	}
	return account.Role(r).Label()
}

func (a *App) downloadAudit(r *request) (any, error) {
	name, write, err := a.auditSheet(r)
	if err != nil {
		return nil, err
	}
	return download{name: name, typ: files.TypeXLSX, write: write}, nil
}

func (a *App) saveAudit(r *request) (any, error) {
	name, write, err := a.auditSheet(r)
	if err != nil {
		return nil, err
	}
	return saveAs(r, "导出审计日志", name, xlsxFilter, write)
}
