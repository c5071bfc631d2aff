// Package unit owns the employer unit (用人单位) this installation serves.
// A database holds exactly one unit, created by first-run setup.
package unit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"huicai/internal/store"
	"huicai/internal/validate"
	"huicai/internal/vault"
)

// Unit is the employer.
type Unit struct {
	ID            int64  `json:"id"`
	Name          string `json:"unit_name"`
	USCC          string `json:"uscc"`
	Address       string `json:"address"`
	ContactPerson string `json:"contact_person"`
	ContactPhone  string `json:"contact_phone"`
}

// Migrations creates the units and departments tables.
func Migrations() []store.Migration {
	return append([]store.Migration{sealMigration, {Version: 1, Name: "unit: units", Up: store.Exec(
		`CREATE TABLE units (
			id INTEGER PRIMARY KEY,
			name TEXT NOT NULL,
			uscc TEXT NOT NULL UNIQUE,
			address TEXT NOT NULL,
			contact_person TEXT NOT NULL,
			contact_phone TEXT NOT NULL,
			created_at TEXT NOT NULL
		)`,
	)}}, departmentMigrations()...)
}

// Normalize trims what users type around the values.
func (u *Unit) Normalize() {
	u.Name = strings.TrimSpace(u.Name)
	u.USCC = validate.NormalizeUSCC(u.USCC)
	u.Address = strings.TrimSpace(u.Address)
	u.ContactPerson = strings.TrimSpace(u.ContactPerson)
	u.ContactPhone = strings.TrimSpace(u.ContactPhone)
}

// Check adds the unit's field errors to c.
func (u *Unit) Check(c *validate.Checker) {
	c.Text("unit_name", u.Name, "单位名称", 100)
	if u.USCC == "" {
		c.Add("uscc", "请填写统一社会信用代码")
	} else if p := validate.USCCProblem(u.USCC); p != "" {
		c.Add("uscc", p)
	}
	c.Text("address", u.Address, "单位地址", 200)
	c.Text("contact_person", u.ContactPerson, "联系人", 30)
	if u.ContactPhone == "" {
		c.Add("contact_phone", "请填写联系电话")
	} else if !validate.IsPhone(u.ContactPhone) {
		c.Add("contact_phone", "联系电话应为手机号码或带区号的固定电话，如 0531-86123456")
	}
}

// Create inserts the unit inside tx.
func Create(ctx context.Context, tx *sql.Tx, u Unit) (Unit, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO units(name, uscc, address, contact_person, contact_phone, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, u.Name, u.USCC, u.Address, u.ContactPerson, vault.Seal(u.ContactPhone),
		store.Now())
	if err != nil {
		return Unit{}, fmt.Errorf("unit: create: %w", err)
	}
	u.ID, err = res.LastInsertId()
	return u, err
}

// Get returns the installation's unit, or store.ErrNotFound before setup.
func Get(ctx context.Context, q store.Querier) (Unit, error) {
	var u Unit
	err := q.QueryRowContext(ctx, `SELECT id, name, uscc, address, contact_person, contact_phone
		FROM units ORDER BY id LIMIT 1`).Scan(&u.ID, &u.Name, &u.USCC, &u.Address, &u.ContactPerson, &u.ContactPhone)
	if errors.Is(err, sql.ErrNoRows) {
		return Unit{}, store.ErrNotFound
	}
	if err != nil {
		return Unit{}, fmt.Errorf("unit: get: %w", err)
	}
	u.ContactPhone = vault.MustOpen(u.ContactPhone, &err)
	return u, err
}

// sealMigration encrypts the unit's contact phone stored before encryption.
var sealMigration = store.Migration{Version: 18, Name: "unit: seal contact phone", Up: func(ctx context.Context, tx *sql.Tx) error {
	return vault.SealColumns(ctx, tx, "units", "id", []string{"contact_phone"}, nil)
}}
