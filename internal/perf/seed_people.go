package perf

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"huicai/internal/account"
	"huicai/internal/talent"
	"huicai/internal/validate"
)

// Password is every seeded account's password, the leader's included.
const Password = "Perf@2026seed"

// SeedHash is the cheap password hash of seeded accounts: a hash records
// its own cost, so the server checks these as any other, and seeding
// 50,000 accounts takes no Argon2 work worth the name.
var SeedHash = account.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}

// departmentNames are the 二级单位 of the seeded unit.
var departmentNames = []string{"材料科学与工程学院", "化学与化工学院", "物理学院", "数学学院", "信息科学与工程学院",
	"机械工程学院", "齐鲁医学院", "经济学院", "生命科学学院", "环境科学与工程学院"}

// Names are drawn from common surnames and given-name characters, with a
// rare character (堃 喆 赟 镕 珺, outside GB 2312) in about one name in
// twenty, and a few two-character surnames.
var (
	surnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
		"林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁",
		"邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "欧阳",
		"司马", "诸葛", "上官"}
	givenChars = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
		"明", "超", "秀", "霞", "平", "刚", "英", "华", "建", "国", "志", "文", "博", "宇", "浩", "然", "子", "涵",
		"欣", "怡", "梓", "轩", "晨", "阳", "思", "雨", "佳", "琪", "俊", "凯", "鹏", "飞", "海", "波", "宁", "晓",
		"红", "玉", "兰", "春", "梅", "东", "林", "成", "新", "立", "斌", "辉", "鑫"}
	rareChars = []string{"堃", "喆", "赟", "镕", "珺"}
)

// titles are 人才类别 and 人才称号 pairs among the options every unit starts with.
var titles = [][2]string{{"泰山学者", "泰山学者特聘专家"}, {"泰山学者", "泰山学者青年专家"},
	{"泰山学者", "泰山学者攀登计划专家"}, {"国家杰出青年科学基金获得者", "国家杰出青年科学基金获得者"},
	{"两院院士", "中国科学院院士"}, {"两院院士", "中国工程院院士"}, {"国家重点人才工程入选者", "长江学者特聘教授"},
	{"全国技术能手", "全国技术能手"}, {"其他", "泰山产业领军人才"}, {"其他", "齐鲁首席技师"},
	{"享受国务院特殊津贴专家", "其他"}}

// regions are Shandong's area codes the ID numbers use.
var regions = []string{"370102", "370103", "370104", "370105", "370112", "370113", "370202", "370203", "370211",
	"370212", "370302", "370303", "370402", "370502", "370602", "370613", "370702", "370705", "370802", "370811"}

// birthDays is how many days of births the ID numbers spread over, from
// 1950; a prime step visits each day once.
const (
	birthDays = 14600
	birthStep = 7919
)

var firstBirth = time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)

// person is the i-th seeded person's identity.
type person struct {
	name, idNumber, gender string
	birth                  time.Time
}

// personAt makes the i-th person: a valid 居民身份证 number (GB 11643),
// different for every i, and a name that agrees with nothing in particular.
func personAt(i int) person {
	region, j := regions[i%len(regions)], i/len(regions)
	birth := firstBirth.AddDate(0, 0, j*birthStep%birthDays)
	male := i%3 != 0
	seq := j/birthDays*2 + map[bool]int{true: 1}[male] // the sequence's last digit is odd for men
	base := fmt.Sprintf("%s%s%03d", region, birth.Format("20060102"), seq%1000)
	sum := 0
	for k, w := range []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2} {
		sum += int(base[k]-'0') * w
	}
	return person{name: nameAt(i), idNumber: base + string("10X98765432"[sum%11]),
		gender: map[bool]string{true: "男", false: "女"}[male], birth: birth}
}

// nameAt is the i-th person's name.
func nameAt(i int) string {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	var b strings.Builder
	b.WriteString(surnames[r.IntN(len(surnames))])
	for range 1 + r.IntN(2) {
		if r.IntN(40) == 0 {
			b.WriteString(rareChars[r.IntN(len(rareChars))])
		} else {
			b.WriteString(givenChars[r.IntN(len(givenChars))])
		}
	}
	return b.String()
}

// registration is the i-th talent's 高层次人才注册 in department dept.
func registration(i int, dept int64) talent.Registration {
	p := personAt(i)
	title := titles[i%len(titles)]
	titled := p.birth.AddDate(35+i%12, i%11, i%27)
	if last := time.Date(2017, 12, 31, 0, 0, 0, 0, time.UTC); titled.After(last) {
		titled = last
	}
	return talent.Registration{Profile: talent.Profile{Name: p.name, Gender: p.gender, BirthDate: p.birth.Format(time.DateOnly),
		Nationality: "中国", IDType: validate.IDResident, IDNumber: p.idNumber, Mobile: mobileAt(i),
		Email: fmt.Sprintf("talent%06d@sdu.edu.cn", i), DepartmentID: dept, Category: title[0], Title: title[1],
		TitleDate: titled.Format(time.DateOnly)},
		Username: talentUsername(i), Password: Password, PasswordConfirm: Password}
}

// talentUsername is the i-th talent's username.
func talentUsername(i int) string { return fmt.Sprintf("rc%06d", i) }

// CommissionerUsername is the i-th commissioner's username.
func CommissionerUsername(i int) string { return fmt.Sprintf("zy%04d", i) }

// mobileAt is a mobile number different for every i.
func mobileAt(i int) string { return fmt.Sprintf("1%d%09d", 3+i%7, i) }

// staffAt is the i-th commissioner's registration in department dept; their
// people are numbered after every talent's.
func staffAt(i int, dept int64) account.NewStaff {
	p := personAt(1_000_000 + i)
	return account.NewStaff{RegistrationType: account.RegistrationType, Name: p.name, IDType: validate.IDResident,
		IDNumber: p.idNumber, Mobile: mobileAt(900_000_000 + i), DepartmentID: dept, Position: "人事科科员",
		OfficePhone: fmt.Sprintf("0531-8836%04d", i), Username: CommissionerUsername(i), Password: Password,
		PasswordConfirm: Password}
}
