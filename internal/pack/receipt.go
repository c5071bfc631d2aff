package pack

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/emmansun/gmsm/sm2"

	"huicai/internal/sign"
)

// Receipt entry names and format.
const (
	ReceiptName          = "receipt.json"
	ReceiptSignatureName = "receipt.sig"
	ReceiptFormat        = "huicai-province-receipt"
)

// ReceiptItem is the province's answer for one item.
type ReceiptItem struct {
	ID       int64  `json:"id"`
	Accepted bool   `json:"accepted"`
	CardNo   string `json:"card_no,omitempty"`
	IssuedOn string `json:"issued_on,omitempty"`
	// ExpiresOn is five years after IssuedOn, the day before.
	ExpiresOn string `json:"expires_on,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

// Receipt is the province's signed answer to a package (回执).
type Receipt struct {
	Format        string        `json:"format"`
	FormatVersion int           `json:"format_version"`
	PackageID     string        `json:"package_id"`
	PackageSM3    string        `json:"package_sm3"`
	Unit          Unit          `json:"unit"`
	Batch         Batch         `json:"batch"`
	IssuedAt      string        `json:"issued_at"`
	Items         []ReceiptItem `json:"items"`
}

// CardValidity is how long a 惠才卡 is valid.
const CardValidityYears = 5

// ExpiryOf returns the last valid day of a card issued on issued.
func ExpiryOf(issued time.Time) time.Time { return issued.AddDate(CardValidityYears, 0, -1) }

// MakeReceipt answers a verified package as the province: every item is
// accepted (card items get a card number) unless rejects names it with a
// reason. The receipt is written to dest as a zip of receipt.json and its
// SM2 signature by the province key.
func MakeReceipt(packagePath string, key *sm2.PrivateKey, rejects map[int64]string, now time.Time, dest string) (Receipt, error) {
	f, err := os.Open(packagePath)
	if err != nil {
		return Receipt{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Receipt{}, err
	}
	rep, err := Verify(f, st.Size(), nil)
	if err != nil {
		return Receipt{}, fmt.Errorf("提交包未通过校验：%w", err)
	}
	sum, err := fileSM3(packagePath)
	if err != nil {
		return Receipt{}, err
	}
	m := rep.Manifest
	rc := Receipt{Format: ReceiptFormat, FormatVersion: FormatVersion, PackageID: m.PackageID, PackageSM3: sum,
		Unit: m.Unit, Batch: m.Batch, IssuedAt: now.UTC().Format(time.RFC3339)}
	known := map[int64]bool{}
	for i, it := range m.Items {
		known[it.ID] = true
		ri := ReceiptItem{ID: it.ID, Accepted: true}
		if reason, no := rejects[it.ID]; no {
			ri = ReceiptItem{ID: it.ID, Reason: reason}
		} else if m.Batch.Kind == "card" {
			ri.CardNo = fmt.Sprintf("鲁惠才%s%04d%02d", now.Format("20060102"), i+1, now.Nanosecond()/1e7%100)
			ri.IssuedOn, ri.ExpiresOn = now.Format("2006-01-02"), ExpiryOf(now).Format("2006-01-02")
		}
		rc.Items = append(rc.Items, ri)
	}
	for id := range rejects {
		if !known[id] {
			return Receipt{}, fmt.Errorf("提交包中没有编号为 %d 的事项", id)
		}
	}
	body, err := json.MarshalIndent(rc, "", "  ")
	if err != nil {
		return Receipt{}, err
	}
	sig, err := sign.Sign(key, body)
	if err != nil {
		return Receipt{}, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range map[string][]byte{ReceiptName: body, ReceiptSignatureName: sig} {
		w, err := zw.Create(name)
		if err != nil {
			return Receipt{}, err
		}
		if _, err := w.Write(data); err != nil {
			return Receipt{}, err
		}
	}
	if err := zw.Close(); err != nil {
		return Receipt{}, err
	}
	tmp := dest + ".partial"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return Receipt{}, err
	}
	return rc, os.Rename(tmp, dest)
}

// maxReceipt bounds a receipt file.
const maxReceipt = 8 << 20

// ReadReceipt opens a receipt and checks its signature against the
// province's public key.
func ReadReceipt(r io.Reader, provincePEM []byte) (Receipt, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxReceipt+1))
	if err != nil || len(data) > maxReceipt {
		return Receipt{}, problem("回执文件无法读取或过大")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Receipt{}, problem("不是有效的回执文件（应为省级系统生成的 zip）")
	}
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		if _, dup := entries[f.Name]; dup || (f.Name != ReceiptName && f.Name != ReceiptSignatureName) {
			return Receipt{}, problem("回执中有多余或重复的文件 %s", f.Name)
		}
		entries[f.Name] = f
	}
	body, err := readSmall(entries, ReceiptName)
	if err != nil {
		return Receipt{}, err
	}
	sig, err := readSmall(entries, ReceiptSignatureName)
	if err != nil {
		return Receipt{}, err
	}
	if err := sign.Verify(provincePEM, body, sig); err != nil {
		if errors.Is(err, sign.ErrBadSignature) {
			return Receipt{}, problem("回执签名验证失败：回执被改动，或不是省级公钥对应的私钥签发")
		}
		return Receipt{}, problem("省级公钥无效：%v", err)
	}
	var rc Receipt
	if err := json.Unmarshal(body, &rc); err != nil || rc.Format != ReceiptFormat || rc.FormatVersion != FormatVersion {
		return Receipt{}, problem("回执内容格式不受支持")
	}
	if err := rc.check(); err != nil {
		return Receipt{}, err
	}
	return rc, nil
}

// fileSM3 hashes a whole file.
func fileSM3(path string) (string, error) {
	src := FromFile(filepath.Base(path), path, false)
	in, err := src.Open()
	if err != nil {
		return "", err
	}
	defer in.Close()
	return SM3Of(in)
}
