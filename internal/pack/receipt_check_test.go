package pack

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"huicai/internal/testkit"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huicai/internal/sign"
)

// signedReceipt makes a genuine receipt for a sample package, lets edit
// change it, and signs the result with the province key as the province
// would: the signature holds, so only the field checks can refuse it.
func signedReceipt(t *testing.T, edit func(*Receipt)) ([]byte, string) {
	t.Helper()
	unitKey, _ := keyPair(t)
	provinceKey, provincePub := keyPair(t)
	p := samplePackage(t, unitKey)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	rc, err := MakeReceipt(p, provinceKey, map[int64]string{9: "称号证明材料不符合要求"}, now, filepath.Join(t.TempDir(), "r.zip"))
	if err != nil {
		t.Fatal(err)
	}
	edit(&rc)
	body, _ := json.MarshalIndent(rc, "", "  ")
	sig, err := sign.Sign(provinceKey, body)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range []struct {
		name string
		data []byte
	}{{ReceiptName, body}, {ReceiptSignatureName, sig}} {
		w, _ := zw.Create(e.name)
		w.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), provincePub
}

func TestReceiptsWithImpossibleFieldsAreRefused(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Receipt)
		want string
	}{
		{"issued on the 45th of month 13", func(r *Receipt) { r.Items[0].IssuedOn = "2026-13-45" }, "发卡日期无效"},
		{"expires in 1900", func(r *Receipt) { r.Items[0].ExpiresOn = "1900-01-01" }, "有效期至"},
		{"valid for fifty years", func(r *Receipt) { r.Items[0].ExpiresOn = "2076-11-30" }, "有效期至"},
		{"issued after the receipt", func(r *Receipt) { r.Items[0].IssuedOn = "2027-06-01" }, "发卡日期无效"},
		{"no card number", func(r *Receipt) { r.Items[0].CardNo = "" }, "卡号无效"},
		{"a card number with a bidi override", func(r *Receipt) { r.Items[0].CardNo = "鲁惠才\u202e0001" }, "卡号无效"},
		{"a rejection without a reason", func(r *Receipt) { r.Items[1].Reason = "" }, "没有写明有效的原因"},
		{"a rejection with a card", func(r *Receipt) { r.Items[1].CardNo = "鲁惠才0001" }, "却带有卡号"},
		{"a duplicate item", func(r *Receipt) { r.Items[1].ID = r.Items[0].ID }, "无效或重复"},
		{"no items", func(r *Receipt) { r.Items = nil }, "没有任何事项"},
		{"a bad package hash", func(r *Receipt) { r.PackageSM3 = "xyz" }, "SM3 哈希无效"},
		{"an impossible signing time", func(r *Receipt) { r.IssuedAt = "2026-02-30T10:00:00Z" }, "签发时间无效"},
	}
	refused := 0
	for _, c := range cases {
		data, pub := signedReceipt(t, c.edit)
		_, err := ReadReceipt(bytes.NewReader(data), []byte(pub))
		if err != nil {
			refused++
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	testkit.RecordSecurity(t, "bad_receipts", map[string]any{"tried": len(cases), "refused": refused})
	data, pub := signedReceipt(t, func(*Receipt) {})
	if _, err := ReadReceipt(bytes.NewReader(data), []byte(pub)); err != nil {
		t.Fatalf("a genuine receipt: %v", err)
	}
}
