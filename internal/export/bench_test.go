package export

import (
	"io"
	"strings"
	"testing"
)

// benchForm is a typical applicant form: a dozen short fields and one long
// value that wraps over many lines.
func benchForm() Form {
	return Form{Title: "惠才卡申领表", Subtitle: "山东大学    批次号：HC20261129-01", Sections: []Section{
		{Title: "个人基本信息", Fields: []Field{{"姓名", "张赟"}, {"性别", "男"}, {"证件类型", "居民身份证"},
			{"证件号码", "37010219800101123X"}, {"手机号码", "13800138000"}, {"二级单位", "物理学院"}}},
		{Title: "人才信息", Fields: []Field{{"人才类别", "泰山学者"}, {"人才称号", "泰山学者特聘专家"}, {"认定时间", "2024年05月01日"}}},
		{Title: "主要业绩与贡献", Fields: []Field{{"主要业绩与贡献", strings.Repeat("主持国家重点研发计划项目，发表高水平论文多篇。", 20)}}},
	}}
}

// BenchmarkFormPDF is the cost of one applicant form, the unit of a
// batch export.
func BenchmarkFormPDF(b *testing.B) {
	form := benchForm()
	if _, err := WriteFormPDF(io.Discard, form, created); err != nil { // reads the main font's tables, once per process
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := WriteFormPDF(io.Discard, form, created); err != nil {
			b.Fatal(err)
		}
	}
}
