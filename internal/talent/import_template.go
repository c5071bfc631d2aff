package talent

import (
	"context"
	"fmt"

	"huicai/internal/export"
	"huicai/internal/sheetin"
	"huicai/internal/store"
	"huicai/internal/unit"
	"huicai/internal/validate"
)

// ImportTemplateName is the file name of the template users download.
const ImportTemplateName = "高层次人才导入模板.xlsx"

// exampleMark starts the name of the template's example row, which an
// import skips.
const exampleMark = "示例"

// ImportTemplate is 高层次人才导入模板 with the unit's own lists in its
// dropdowns: active 二级单位, 人才类别 and 人才称号.
func ImportTemplate(ctx context.Context, q store.Querier) (export.Template, error) {
	lists := map[string][]string{"id_type": validate.IDTypes, "gender": {"男", "女"}}
	deps, err := unit.Departments(ctx, q, true)
	if err != nil {
		return export.Template{}, err
	}
	for _, d := range deps {
		lists["department_id"] = append(lists["department_id"], d.Name)
	}
	for key, kind := range map[string]string{"category": KindCategory, "title": KindTitle} {
		opts, err := Options(ctx, q, kind, true)
		if err != nil {
			return export.Template{}, err
		}
		for _, o := range opts {
			lists[key] = append(lists[key], o.Name)
		}
	}
	t := export.Template{Sheet: "高层次人才", Notes: importNotes()}
	for _, c := range ImportColumns {
		t.Columns = append(t.Columns, export.TemplateColumn{Header: c.Header, Required: c.Required, List: lists[c.Key],
			Width: templateWidths[c.Key], Text: lists[c.Key] == nil})
	}
	example := map[string]string{"name": exampleMark + "：王堃", "gender": "男", "birth_date": "1980-05-12", "nationality": "中国",
		"id_type": validate.IDResident, "id_number": "370102198005120035", "mobile": "13800000000", "email": "wangkun@example.com",
		"department_id": first(lists["department_id"]), "category": first(lists["category"]), "title": first(lists["title"]), "title_date": "2020-09-01"}
	for _, c := range ImportColumns {
		t.Example = append(t.Example, example[c.Key])
	}
	return t, nil
}

var templateWidths = map[string]float64{"name": 12, "gender": 8, "birth_date": 13, "nationality": 12, "id_type": 16,
	"id_number": 22, "mobile": 14, "email": 24, "department_id": 20, "category": 18, "title": 24, "title_date": 14}

func first(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

func importNotes() []string {
	return []string{
		"高层次人才导入模板 填写说明",
		"1. 在“高层次人才”工作表中每行填写一位人才，第 1 行为表头，请勿修改表头文字；红色列名为必填项。",
		"2. 第 2 行是示例（姓名以“示例”开头），导入时会被跳过，可以保留，也可以删除。",
		"3. 证件类型、性别、所在二级单位、人才类别、人才称号请从下拉列表中选择；列表来自本单位在惠才通中维护的选项。",
		"4. 证件号码、手机号码两列已设为文本格式。请勿把这两列改为数字格式：Excel 会把 18 位证件号码变成 3.70102E+17 这样的科学计数法，后几位数字随之丢失，无法恢复。",
		"5. 证件类型为居民身份证时，出生日期、性别、国籍（地区）可以不填，导入时按证件号码自动填写；填写了的，须与证件号码一致。",
		"6. 日期请写成 1980-05-12 的形式（也可写 1980/5/12 或 1980年5月12日）。",
		"7. 已在惠才通中登记的人才（证件号码相同）不会重复导入，也不会被修改；同一文件可以放心重复导入。",
		"8. 导入的人才暂不生成可登录的账号：人才本人日后用相同证件号码注册，即可认领自己的记录。",
		fmt.Sprintf("9. 一个文件最多 %d 行。导入前会逐行检查并列出错误，可以下载带“错误说明”列的错误报告，改正后重新导入。", sheetin.MaxRows),
	}
}
