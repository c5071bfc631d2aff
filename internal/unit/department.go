package unit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"huicai/internal/apperr"
	"huicai/internal/store"
	"huicai/internal/validate"
)

// Department is a second-level unit (二级单位): a college, institute or branch.
type Department struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Active bool   `json:"active"`
}

func departmentMigrations() []store.Migration {
	return []store.Migration{{Version: 4, Name: "unit: departments", Up: store.Exec(
		`CREATE TABLE departments (
			id INTEGER PRIMARY KEY,
			name TEXT NOT NULL UNIQUE,
			active INTEGER NOT NULL DEFAULT 1,
			created_at TEXT NOT NULL
		)`,
	)}, {Version: 29, Name: "unit: fixed-width times", Up: store.FixTimesStep(map[string][]string{
		"units": {"created_at"}, "departments": {"created_at"}})}}
}

// ErrDepartmentNotFound is returned for an unknown department.
var ErrDepartmentNotFound = apperr.NotFound("该二级单位不存在")

// Departments lists departments in the order they were added; activeOnly
// leaves out disabled ones.
func Departments(ctx context.Context, q store.Querier, activeOnly bool) ([]Department, error) {
	query := `SELECT id, name, active FROM departments`
	if activeOnly {
		query += ` WHERE active = 1`
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("unit: departments: %w", err)
	}
	defer rows.Close()
	out := []Department{}
	for rows.Next() {
		var d Department
		if err := rows.Scan(&d.ID, &d.Name, &d.Active); err != nil {
			return nil, fmt.Errorf("unit: departments: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DepartmentByID returns one department.
func DepartmentByID(ctx context.Context, q store.Querier, id int64) (Department, error) {
	var d Department
	err := q.QueryRowContext(ctx, `SELECT id, name, active FROM departments WHERE id = ?`, id).Scan(&d.ID, &d.Name, &d.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return Department{}, ErrDepartmentNotFound
	}
	if err != nil {
		return Department{}, fmt.Errorf("unit: department %d: %w", id, err)
	}
	return d, nil
}

// ActiveDepartment returns the department a registration names, refusing
// unknown and disabled ones with an error on field.
func ActiveDepartment(ctx context.Context, q store.Querier, id int64, field string) (Department, error) {
	if id == 0 {
		return Department{}, apperr.InvalidField(field, "请选择所在二级单位")
	}
	d, err := DepartmentByID(ctx, q, id)
	if errors.Is(err, ErrDepartmentNotFound) {
		return Department{}, apperr.InvalidField(field, "所选二级单位不存在")
	}
	if err != nil {
		return Department{}, err
	}
	if !d.Active {
		return Department{}, apperr.InvalidField(field, "所选二级单位已停用，请选择其他二级单位")
	}
	return d, nil
}

func checkDepartmentName(name string) (string, error) {
	name = strings.TrimSpace(name)
	var c validate.Checker
	c.Text("name", name, "二级单位名称", 60)
	return name, c.Err()
}

func duplicateName(err error) error {
	if err != nil && store.IsUnique(err) {
		return apperr.InvalidField("name", "已有同名的二级单位")
	}
	return err
}

// CreateDepartment adds a department inside tx.
func CreateDepartment(ctx context.Context, tx *sql.Tx, name string) (Department, error) {
	name, err := checkDepartmentName(name)
	if err != nil {
		return Department{}, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO departments(name, active, created_at) VALUES (?, 1, ?)`,
		name, store.Now())
	if err != nil {
		return Department{}, duplicateName(fmt.Errorf("unit: create department: %w", err))
	}
	id, _ := res.LastInsertId()
	return Department{ID: id, Name: name, Active: true}, nil
}

// RenameDepartment renames a department inside tx and returns it as it was.
func RenameDepartment(ctx context.Context, tx *sql.Tx, id int64, name string) (Department, error) {
	name, err := checkDepartmentName(name)
	if err != nil {
		return Department{}, err
	}
	old, err := DepartmentByID(ctx, tx, id)
	if err != nil {
		return Department{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE departments SET name = ? WHERE id = ?`, name, id); err != nil {
		return Department{}, duplicateName(fmt.Errorf("unit: rename department: %w", err))
	}
	return old, nil
}

// SetDepartmentActive enables or disables a department inside tx. A
// disabled department keeps its people but takes no new registrations.
func SetDepartmentActive(ctx context.Context, tx *sql.Tx, id int64, active bool) (Department, error) {
	d, err := DepartmentByID(ctx, tx, id)
	if err != nil {
		return Department{}, err
	}
	if d.Active == active {
		return Department{}, apperr.Conflict("该二级单位已是此状态")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE departments SET active = ? WHERE id = ?`, active, id); err != nil {
		return Department{}, fmt.Errorf("unit: set department active: %w", err)
	}
	d.Active = active
	return d, nil
}

// DeleteDepartment removes a department nobody belongs to; one in use is
// refused by the foreign keys of the tables that name it.
func DeleteDepartment(ctx context.Context, tx *sql.Tx, id int64) (Department, error) {
	d, err := DepartmentByID(ctx, tx, id)
	if err != nil {
		return Department{}, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM departments WHERE id = ?`, id); err != nil {
		if store.IsForeignKey(err) {
			return Department{}, apperr.Conflict("该二级单位下已有人员，不能删除；如不再使用，请停用")
		}
		return Department{}, fmt.Errorf("unit: delete department: %w", err)
	}
	return d, nil
}
