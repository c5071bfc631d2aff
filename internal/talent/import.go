package talent

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"huicai/internal/sheetin"
	"huicai/internal/store"
	"huicai/internal/unit"
	"huicai/internal/validate"
)

// ImportColumns are the columns of 高层次人才导入模板, in its order; an
// uploaded sheet may have them in any order, under these headers or the
// usual other names.
var ImportColumns = []sheetin.Column{
	{Key: "name", Header: "姓名", Required: true},
	{Key: "gender", Header: "性别"},
	{Key: "birth_date", Header: "出生日期"},
	{Key: "nationality", Header: "国籍（地区）", Aliases: []string{"国籍", "国籍(地区)", "国籍/地区"}},
	{Key: "id_type", Header: "证件类型", Required: true},
	{Key: "id_number", Header: "证件号码", Aliases: []string{"身份证号", "身份证号码", "证件号"}, Required: true},
	{Key: "mobile", Header: "手机号码", Aliases: []string{"手机号", "手机", "联系电话"}, Required: true},
	{Key: "email", Header: "电子邮箱", Aliases: []string{"邮箱", "电子邮件", "Email", "E-mail"}, Required: true},
	{Key: "department_id", Header: "所在二级单位", Aliases: []string{"二级单位"}, Required: true},
	{Key: "category", Header: "人才类别", Required: true},
	{Key: "title", Header: "人才称号", Required: true},
	{Key: "title_date", Header: "称号获得时间", Aliases: []string{"称号获得日期"}, Required: true},
}

// ImportRow is a checked row that can be imported.
type ImportRow struct {
	Row int
	Profile
	// Index is the blind index of the ID number (see idIndex).
	Index string
}

// ImportCheck is what checking an uploaded sheet of talents found, and
// the rows that can be imported.
type ImportCheck struct {
	sheetin.Tally
	ready []ImportRow
}

// Ready are the rows that can be imported, in sheet order.
func (c *ImportCheck) Ready() []ImportRow { return c.ready }

// importLists are the unit's own lists a row is checked against.
type importLists struct {
	departments map[string]unit.Department
	options     map[string]map[string]bool // kind → active names
}

func loadImportLists(ctx context.Context, q store.Querier) (importLists, error) {
	l := importLists{departments: map[string]unit.Department{}, options: map[string]map[string]bool{}}
	deps, err := unit.Departments(ctx, q, false)
	if err != nil {
		return l, err
	}
	for _, d := range deps {
		l.departments[d.Name] = d
	}
	for _, kind := range []string{KindCategory, KindTitle} {
		opts, err := Options(ctx, q, kind, true)
		if err != nil {
			return l, err
		}
		l.options[kind] = map[string]bool{}
		for _, o := range opts {
			l.options[kind][o.Name] = true
		}
	}
	return l, nil
}

// CheckImport reads the rows of the first sheet of f, one at a time, and
// checks each by the registration form's rules, against the unit's lists,
// against the other rows and against the talents already registered.
func CheckImport(ctx context.Context, q store.Querier, f *sheetin.File, today time.Time) (*ImportCheck, error) {
	rows, err := f.Rows(f.FirstSheet(), ImportColumns)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	lists, err := loadImportLists(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &ImportCheck{Tally: sheetin.NewTally(rows)}
	seen := map[string]int{} // blind index → first row
	for rows.Next() {
		if strings.HasPrefix(rows.Row().Cells["name"], exampleMark) {
			continue // the template's example row
		}
		if r, problems := checkImportRow(rows.Row(), lists, seen, today); out.Count(problems) {
			out.ready = append(out.ready, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := out.Empty(); err != nil {
		return nil, err
	}
	return out, out.markExisting(ctx, q)
}

// checkImportRow turns one sheet row into a profile and checks it.
func checkImportRow(row sheetin.Row, lists importLists, seen map[string]int, today time.Time) (ImportRow, []sheetin.Problem) {
	cell := row.Cells
	p := Profile{Name: cell["name"], Gender: cell["gender"], BirthDate: sheetin.Date(cell["birth_date"]),
		Nationality: cell["nationality"], IDType: cell["id_type"], IDNumber: sheetin.HalfWidth(cell["id_number"]),
		Mobile: sheetin.HalfWidth(cell["mobile"]), Email: sheetin.HalfWidth(cell["email"]), Category: cell["category"],
		Title: cell["title"], TitleDate: sheetin.Date(cell["title_date"])}
	p.Normalize()
	var c validate.Checker
	if storedAsNumber(cell["id_number"], today) {
		c.Add("id_number", "证件号码被 Excel 存成了数字（"+cell["id_number"]+"），后几位已丢失；请把该列设为“文本”格式后重新填写号码")
	}
	if sheetin.Scientific(cell["mobile"]) {
		c.Add("mobile", "手机号码被 Excel 存成了科学计数法的数字；请把该列设为“文本”格式后重新填写")
	}
	p.fillFromResidentID(today)
	if d, ok := lists.departments[cell["department_id"]]; ok && d.Active {
		p.DepartmentID = d.ID
	} else if cell["department_id"] != "" {
		c.Add("department_id", map[bool]string{true: "二级单位“" + cell["department_id"] + "”已停用", false: "二级单位“" + cell["department_id"] + "”不存在，请从下拉列表中选择"}[ok])
	}
	for _, o := range []struct{ field, kind, value string }{{"category", KindCategory, p.Category}, {"title", KindTitle, p.Title}} {
		c.Check(o.field, o.value == "" || lists.options[o.kind][o.value], kindLabel(o.kind)+"“"+o.value+"”不在本单位的可选范围内")
	}
	p.Check(&c, today)
	r := ImportRow{Row: row.Number, Profile: p}
	if !c.Has("id_number") && !c.Has("id_type") {
		r.Index = idIndex(p.IDType, p.IDNumber)
		if first, dup := seen[r.Index]; dup {
			c.Add("id_number", fmt.Sprintf("证件号码与第 %d 行重复", first))
		} else {
			seen[r.Index] = row.Number
		}
	}
	return r, withoutEchoes(sheetin.ProblemsOf(row.Number, c.Err(), ImportColumns), cell)
}

// withoutEchoes drops the problems of the blank fields a resident ID fills
// (出生日期, 性别, 国籍) when the ID itself is wrong: the ID's problem is the
// one to fix.
func withoutEchoes(problems []sheetin.Problem, cell map[string]string) []sheetin.Problem {
	badID := false
	for _, p := range problems {
		badID = badID || p.Field == "id_number" || p.Field == "id_type"
	}
	if !badID {
		return problems
	}
	out := problems[:0]
	for _, p := range problems {
		if derived := p.Field == "birth_date" || p.Field == "gender" || p.Field == "nationality"; !derived || cell[p.Field] != "" {
			out = append(out, p)
		}
	}
	return out
}

// storedAsNumber reports an ID number Excel kept as a number: in scientific
// notation, or as 18 digits of which Excel's 15 significant ones left the
// last three zeros — and so no longer a valid number.
func storedAsNumber(id string, today time.Time) bool {
	if sheetin.Scientific(id) {
		return true
	}
	return len(id) == 18 && strings.HasSuffix(id, "000") && strings.Trim(id, "0123456789") == "" &&
		validate.IDProblem(validate.IDResident, id, today) != ""
}

// fillFromResidentID fills a blank birth date, gender and nationality from
// a resident ID number, as the form does.
func (p *Profile) fillFromResidentID(today time.Time) {
	if p.IDType != validate.IDResident {
		return
	}
	id, problem := validate.ParseResidentID(p.IDNumber, today)
	if problem != "" {
		return
	}
	if p.BirthDate == "" {
		p.BirthDate = id.Birth.Format(dateLayout)
	}
	if p.Gender == "" {
		p.Gender = map[bool]string{true: "男", false: "女"}[id.Male]
	}
	if p.Nationality == "" {
		p.Nationality = "中国"
	}
}

// markExisting moves the ready rows whose ID number is already registered
// out of the import: counted as existing, left unchanged.
func (c *ImportCheck) markExisting(ctx context.Context, q store.Querier) error {
	indexes := make([]any, 0, len(c.ready))
	for _, r := range c.ready {
		indexes = append(indexes, r.Index)
	}
	known := map[string]bool{}
	for start := 0; start < len(indexes); start += 500 {
		part := indexes[start:min(start+500, len(indexes))]
		found, err := store.Rows(ctx, q, func(rows *sql.Rows) (s string, err error) {
			return s, rows.Scan(&s)
		}, `SELECT id_index FROM talents WHERE id_index IN (?`+strings.Repeat(",?", len(part)-1)+`)`, part...)
		if err != nil {
			return fmt.Errorf("talent: import: existing: %w", err)
		}
		for _, s := range found {
			known[s] = true
		}
	}
	ready := c.ready[:0]
	for _, r := range c.ready {
		if known[r.Index] {
			c.Existing++
			continue
		}
		ready = append(ready, r)
	}
	c.ready, c.Valid = ready, len(ready)
	return nil
}
