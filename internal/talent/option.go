package talent

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

// Option kinds: the two lists the leader maintains.
const (
	KindCategory = "category" // 人才类别
	KindTitle    = "title"    // 人才称号
)

// Option is one entry of 人才类别 or 人才称号.
type Option struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Active bool   `json:"active"`
}

// seedCategories are the categories of Shandong's green-channel rules.
var seedCategories = []string{"两院院士", "国家重点人才工程入选者", "百千万人才工程国家级人选", "国家有突出贡献中青年专家",
	"享受国务院特殊津贴专家", "国家杰出青年科学基金获得者", "全国技术能手", "泰山学者", "其他"}

// seedTitles are common titles; the leader adds the unit's own.
var seedTitles = []string{"中国科学院院士", "中国工程院院士", "国家杰出青年科学基金获得者", "长江学者特聘教授",
	"泰山学者攀登计划专家", "泰山学者特聘专家", "泰山学者青年专家", "泰山产业领军人才", "齐鲁首席技师", "全国技术能手", "其他"}

func optionMigration(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE talent_options (
		id INTEGER PRIMARY KEY,
		kind TEXT NOT NULL CHECK (kind IN ('category', 'title')),
		name TEXT NOT NULL,
		active INTEGER NOT NULL DEFAULT 1,
		UNIQUE (kind, name)
	)`); err != nil {
		return err
	}
	for kind, names := range map[string][]string{KindCategory: seedCategories, KindTitle: seedTitles} {
		for _, n := range names {
			if _, err := tx.ExecContext(ctx, `INSERT INTO talent_options(kind, name) VALUES (?, ?)`, kind, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// Options lists one kind's entries in the order they were added.
func Options(ctx context.Context, q store.Querier, kind string, activeOnly bool) ([]Option, error) {
	query := `SELECT id, kind, name, active FROM talent_options WHERE kind = ?`
	if activeOnly {
		query += ` AND active = 1`
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY id`, kind)
	if err != nil {
		return nil, fmt.Errorf("talent: options: %w", err)
	}
	defer rows.Close()
	out := []Option{}
	for rows.Next() {
		var o Option
		if err := rows.Scan(&o.ID, &o.Kind, &o.Name, &o.Active); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func activeOption(ctx context.Context, q store.Querier, kind, name string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM talent_options WHERE kind = ? AND name = ? AND active = 1`, kind, name).Scan(&n)
	return n > 0, err
}

// ErrOptionNotFound is returned for an unknown option.
var ErrOptionNotFound = apperr.NotFound("该选项不存在")

func optionByID(ctx context.Context, q store.Querier, id int64) (Option, error) {
	var o Option
	err := q.QueryRowContext(ctx, `SELECT id, kind, name, active FROM talent_options WHERE id = ?`, id).Scan(&o.ID, &o.Kind, &o.Name, &o.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return Option{}, ErrOptionNotFound
	}
	return o, err
}

func kindLabel(kind string) string {
	if kind == KindCategory {
		return "人才类别"
	}
	return "人才称号"
}

// SaveOption adds (id 0) or renames an option inside tx.
func SaveOption(ctx context.Context, tx *sql.Tx, o Option) (Option, error) {
	o.Name = strings.TrimSpace(o.Name)
	var c validate.Checker
	c.Check("kind", o.Kind == KindCategory || o.Kind == KindTitle, "类型不正确")
	c.Text("name", o.Name, "名称", 60)
	if err := c.Err(); err != nil {
		return Option{}, err
	}
	var err error
	if o.ID == 0 {
		var res sql.Result
		res, err = tx.ExecContext(ctx, `INSERT INTO talent_options(kind, name) VALUES (?, ?)`, o.Kind, o.Name)
		if err == nil {
			o.ID, _ = res.LastInsertId()
			o.Active = true
		}
	} else {
		var old Option
		if old, err = optionByID(ctx, tx, o.ID); err != nil {
			return Option{}, err
		}
		o.Kind, o.Active = old.Kind, old.Active
		_, err = tx.ExecContext(ctx, `UPDATE talent_options SET name = ? WHERE id = ?`, o.Name, o.ID)
	}
	if err != nil {
		if store.IsUnique(err) {
			return Option{}, apperr.InvalidField("name", "已有同名的"+kindLabel(o.Kind))
		}
		return Option{}, fmt.Errorf("talent: save option: %w", err)
	}
	return o, nil
}

// SetOptionActive enables or disables an option inside tx. Talents who
// already chose it keep it; new registrations cannot choose it.
func SetOptionActive(ctx context.Context, tx *sql.Tx, id int64, active bool) (Option, error) {
	o, err := optionByID(ctx, tx, id)
	if err != nil {
		return Option{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE talent_options SET active = ? WHERE id = ?`, active, id); err != nil {
		return Option{}, fmt.Errorf("talent: option active: %w", err)
	}
	o.Active = active
	return o, nil
}
