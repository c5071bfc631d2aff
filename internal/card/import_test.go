package card_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"huicai/internal/card"
	"huicai/internal/clock"
	"huicai/internal/sheetin"
	"huicai/internal/testdb"
)

// cardSheet is an xlsx of the card template's header and rows, as text.
func cardSheet(t *testing.T, rows ...[]string) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetRow("Sheet1", "A1", &[]string{"姓名", "证件类型", "证件号码", "惠才卡号", "发卡日期", "有效期至"})
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		x.SetSheetRow("Sheet1", cell, &r)
	}
	var buf bytes.Buffer
	x.WriteTo(&buf)
	return buf.Bytes()
}

func checkCards(t *testing.T, f *fixture, data []byte) *card.CardImportCheck {
	t.Helper()
	file, err := sheetin.Open(bytes.NewReader(data), int64(len(data)), "卡.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	c, err := card.CheckCardImport(ctx, f.db, file, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestImportExistingCards: cards are matched to talents by ID number and
// recorded in one go; each wrong row says why; the same file again adds
// nothing.
func TestImportExistingCards(t *testing.T) {
	f := newFixture(t)
	dept := testdb.Department(t, f.db, "理学院")
	t2 := testdb.Talent(t, f.db, "lizhe", 2, dept)
	t3 := testdb.Talent(t, f.db, "zhangyun", 3, dept)
	id := func(seq int) string { return testdb.ResidentID("19750601", seq, true) }
	issued := clock.Now().AddDate(-1, 0, 0).Format("2006-01-02")
	rows := [][]string{
		{t2.Name, "居民身份证", id(2), "鲁惠才2025000002", issued, ""},
		{"别人", "居民身份证", id(3), "鲁惠才2025000003", issued, ""},
		{"无此人", "居民身份证", id(9), "鲁惠才2025000009", issued, ""},
		{t3.Name, "居民身份证", id(3), "鲁惠才2025000002", issued, ""},
		{t3.Name, "居民身份证", id(3), "鲁惠才2025000004", clock.Now().AddDate(0, 0, 3).Format("2006-01-02"), ""},
		{t3.Name, "居民身份证", id(3), "鲁惠才2025000005", issued, issued},
	}
	c := checkCards(t, f, cardSheet(t, rows...))
	if c.Rows != 6 || c.Valid != 1 || c.Invalid != 5 {
		t.Fatalf("check: %+v", c.Tally)
	}
	for row, want := range map[int]string{3: "不一致", 4: "没有该证件号码", 5: "与第 2 行重复", 6: "发卡日期不正确", 7: "有效期至"} {
		found := false
		for _, p := range c.Problems {
			found = found || (p.Row == row && strings.Contains(p.Message, want))
		}
		if !found {
			t.Errorf("row %d: no problem saying %q in %+v", row, want, c.Problems)
		}
	}
	res, err := card.ImportCards(ctx, f.db, f.leader, c, sheetin.ValidRows, "卡.xlsx", "")
	if err != nil || res.Imported != 1 {
		t.Fatalf("import: %+v %v", res, err)
	}
	held, err := card.HeldBy(ctx, f.db, t2.ID)
	want := clock.Now().AddDate(4, 0, -1).Format("2006-01-02")
	if err != nil || held.CardNo != "鲁惠才2025000002" || held.ExpiresOn != want {
		t.Errorf("held: %+v %v, expiring %s", held, err, want)
	}
	if _, err := card.Current(ctx, f.db, t2.ID); err == nil {
		t.Error("the untouched application of a talent now holding a card is still open")
	}
	if _, err := card.Current(ctx, f.db, t3.ID); err != nil {
		t.Errorf("the application of a talent without a card went: %v", err)
	}
	before := testdb.Snapshot(t, f.db)
	again := checkCards(t, f, cardSheet(t, rows[0]))
	if res, err := card.ImportCards(ctx, f.db, f.leader, again, sheetin.ValidRows, "卡.xlsx", ""); err != nil || res.Existing != 1 || !strings.Contains(res.Message, "均已登记") {
		t.Errorf("again: %+v %v", res, err)
	}
	other := checkCards(t, f, cardSheet(t, []string{t2.Name, "居民身份证", id(2), "鲁惠才2025000099", issued, ""}))
	if other.Invalid != 1 || !strings.Contains(other.Problems[0].Message, "已持有有效的惠才卡") {
		t.Errorf("a second valid card: %+v", other.Problems)
	}
	if testdb.Snapshot(t, f.db) != before {
		t.Error("re-checking changed the database")
	}
}
