package pack

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"huicai/internal/testkit"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"

	"huicai/internal/sign"
)

func keyPair(t testing.TB) (*sm2.PrivateKey, string) {
	t.Helper()
	privPEM, pubPEM, err := sign.GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	priv, err := sign.ParsePrivatePEM([]byte(privPEM))
	if err != nil {
		t.Fatal(err)
	}
	return priv, pubPEM
}

func samplePackage(t testing.TB, key *sm2.PrivateKey) string {
	t.Helper()
	dir := t.TempDir()
	scan := filepath.Join(dir, "scan.pdf")
	os.WriteFile(scan, []byte("%PDF-1.4 stamped summary"), 0o600)
	spec := Spec{Unit: Unit{Name: "山东大学", USCC: "12370000495570512F"}, Batch: Batch{Kind: "card", KindLabel: "惠才卡申领", Number: "HC20261129-01"},
		Contact: Contact{Person: "张三", Phone: "0531-88364000"}, Created: time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC),
		Items: []Item{{ID: 7, Key: map[string]string{"姓名": "王堃"}}, {ID: 9, Key: map[string]string{"姓名": "李喆"}}},
		Data:  map[string]any{"items": []string{"王堃", "李喆"}}, AuditHead: "abc"}
	dest := filepath.Join(dir, "package.zip")
	_, err := Write(context.Background(), dest, spec, []Source{
		FromFile("scan/盖章汇总表.pdf", scan, false),
		FromBytes("exports/惠才卡申领汇总表.xlsx", []byte("PK fake xlsx")),
	}, key, func(int, int) {})
	if err != nil {
		t.Fatal(err)
	}
	return dest
}

func verifyFile(path string, pub []byte) (Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return Report{}, err
	}
	defer f.Close()
	st, _ := f.Stat()
	return Verify(f, st.Size(), pub)
}

// rewrite copies a package, letting edit change, drop (nil) or add entries.
func rewrite(t *testing.T, src string, edit func(name string, data []byte) []byte, add map[string][]byte) string {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if data = edit(f.Name, data); data != nil {
			w, _ := zw.Create(f.Name)
			w.Write(data)
		}
	}
	for name, data := range add {
		w, _ := zw.Create(name)
		w.Write(data)
	}
	zw.Close()
	out := filepath.Join(t.TempDir(), "tampered.zip")
	os.WriteFile(out, buf.Bytes(), 0o600)
	return out
}

func keep(_ string, d []byte) []byte { return d }

func TestPackageVerifies(t *testing.T) {
	key, pub := keyPair(t)
	p := samplePackage(t, key)
	rep, err := verifyFile(p, []byte(pub))
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if rep.Manifest.Batch.Number != "HC20261129-01" || len(rep.Manifest.Files) != 3 || len(rep.Checks) != 4 {
		t.Errorf("report %+v", rep)
	}
	zr, _ := zip.OpenReader(p)
	defer zr.Close()
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, ".pdf") && f.Method != zip.Store {
			t.Errorf("%s is deflated, want stored", f.Name)
		}
	}
	// Written as it is made, the manifest is what MarshalIndent makes.
	rc, _ := zr.Open(ManifestName)
	got, _ := io.ReadAll(rc)
	rc.Close()
	if want, _ := json.MarshalIndent(rep.Manifest, "", "  "); !bytes.Equal(got, want) {
		t.Errorf("manifest.json\n%s\nwant\n%s", got, want)
	}
	if _, err := rewriteVerify(t, p, pub, keep, nil); err != nil {
		t.Errorf("an unchanged copy fails: %v", err)
	}
}

func rewriteVerify(t *testing.T, p, pub string, edit func(string, []byte) []byte, add map[string][]byte) (Report, error) {
	return verifyFile(rewrite(t, p, edit, add), []byte(pub))
}

func TestTamperingIsCaught(t *testing.T) {
	key, pub := keyPair(t)
	_, otherPub := keyPair(t)
	p := samplePackage(t, key)
	cases := []struct {
		name string
		edit func(string, []byte) []byte
		add  map[string][]byte
		pub  string
		want string
	}{
		{"a changed byte in a file", func(n string, d []byte) []byte {
			if n == "scan/盖章汇总表.pdf" {
				d[len(d)-1] ^= 1
			}
			return d
		}, nil, pub, "SM3 哈希不符"},
		{"a changed manifest", func(n string, d []byte) []byte {
			if n == ManifestName {
				return bytes.Replace(d, []byte("王堃"), []byte("王坤"), 1)
			}
			return d
		}, nil, pub, "签名验证失败"},
		{"a missing file", func(n string, d []byte) []byte {
			if n == DataName {
				return nil
			}
			return d
		}, nil, pub, "缺少文件 data.json"},
		{"an extra file", keep, map[string][]byte{"attachments/extra.pdf": []byte("%PDF")}, pub, "清单未列出的文件"},
		{"a ../ path", keep, map[string][]byte{"../../evil.sh": []byte("rm -rf")}, pub, "不安全"},
		{"an absolute path", keep, map[string][]byte{"/etc/passwd": []byte("x")}, pub, "绝对路径"},
		{"a backslash", keep, map[string][]byte{`attachments\x.pdf`: []byte("x")}, pub, "反斜杠"},
		{"a duplicate name", keep, map[string][]byte{DataName: []byte("{}")}, pub, "重复"},
		{"a wrong public key", keep, nil, otherPub, "签名验证失败"},
	}
	refused := 0
	for _, c := range cases {
		_, err := rewriteVerify(t, p, c.pub, c.edit, c.add)
		if err != nil {
			refused++
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	testkit.RecordSecurity(t, "tampered_packages", map[string]any{"tried": len(cases), "refused": refused})
}

func TestCancelledWriteLeavesNothing(t *testing.T) {
	key, _ := keyPair(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Write(ctx, filepath.Join(dir, "p.zip"), Spec{Created: time.Now()}, []Source{FromBytes("a.txt", []byte("a"))}, key, func(int, int) {})
	if err == nil {
		t.Fatal("cancelled write succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestReceipts(t *testing.T) {
	unitKey, _ := keyPair(t)
	provinceKey, provincePub := keyPair(t)
	_, strangerPub := keyPair(t)
	p := samplePackage(t, unitKey)
	dest := filepath.Join(t.TempDir(), "receipt.zip")
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	rc, err := MakeReceipt(p, provinceKey, map[int64]string{9: "称号证明材料不符合要求"}, now, dest)
	if err != nil {
		t.Fatal(err)
	}
	if !rc.Items[0].Accepted || rc.Items[0].CardNo == "" || rc.Items[0].ExpiresOn != "2031-11-30" || rc.Items[1].Accepted || rc.Items[1].Reason == "" {
		t.Errorf("receipt items %+v", rc.Items)
	}
	data, _ := os.ReadFile(dest)
	got, err := ReadReceipt(bytes.NewReader(data), []byte(provincePub))
	if err != nil || got.PackageID != rc.PackageID {
		t.Fatalf("read: %+v %v", got, err)
	}
	if _, err := ReadReceipt(bytes.NewReader(data), []byte(strangerPub)); err == nil {
		t.Error("receipt verified with another key")
	}
	edited := rewrite(t, dest, func(n string, d []byte) []byte {
		if n == ReceiptName {
			return bytes.Replace(d, []byte(`"accepted": false`), []byte(`"accepted": true`), 1)
		}
		return d
	}, nil)
	ed, _ := os.ReadFile(edited)
	if _, err := ReadReceipt(bytes.NewReader(ed), []byte(provincePub)); err == nil || !strings.Contains(err.Error(), "签名验证失败") {
		t.Errorf("edited receipt: %v", err)
	}
	if _, err := MakeReceipt(p, provinceKey, map[int64]string{99: "x"}, now, dest); err == nil {
		t.Error("rejecting an item the package does not hold")
	}
}
