package pack

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/emmansun/gmsm/sm3"

	"huicai/internal/sign"
)

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// Check is one thing Verify checked, in the order it checked them.
type Check struct {
	What string
	OK   bool
}

// Report is what Verify found.
type Report struct {
	Manifest Manifest
	Checks   []Check
	// KeySource says which public key the signature was checked with.
	KeySource string
}

// Problem is the first thing wrong with a package, in Chinese.
type Problem struct{ Msg string }

func (p *Problem) Error() string { return p.Msg }

func problem(format string, args ...any) error { return &Problem{Msg: fmt.Sprintf(format, args...)} }

// maxManifest bounds what is read of manifest.json and manifest.sig.
const maxManifest = 16 << 20

// Verify checks a package: that every entry's name is safe and unique, that
// the manifest's signature verifies (with publicPEM, or the key the
// manifest names when publicPEM is empty), and that every listed file is
// present with its size and SM3 hash, none missing and none extra. It
// returns the report so far and the first problem.
func Verify(r io.ReaderAt, size int64, publicPEM []byte) (Report, error) {
	var rep Report
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return rep, problem("不是有效的 zip 提交包：%v", err)
	}
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		if p := unsafeName(f.Name); p != "" {
			return rep, problem("包内文件名 %q 不安全：%s", f.Name, p)
		}
		if _, dup := entries[f.Name]; dup {
			return rep, problem("包内文件名 %q 重复", f.Name)
		}
		entries[f.Name] = f
	}
	rep.Checks = append(rep.Checks, Check{What: fmt.Sprintf("%d 个文件名均安全且不重复", len(entries)), OK: true})
	manifest, err := readSmall(entries, ManifestName)
	if err != nil {
		return rep, err
	}
	sig, err := readSmall(entries, SignatureName)
	if err != nil {
		return rep, err
	}
	if err := json.Unmarshal(manifest, &rep.Manifest); err != nil || rep.Manifest.Format != FormatName {
		return rep, problem("manifest.json 不是惠才通提交包清单")
	}
	if rep.Manifest.FormatVersion != FormatVersion {
		return rep, problem("提交包格式版本 %d 不受支持（本程序支持 %d）", rep.Manifest.FormatVersion, FormatVersion)
	}
	rep.KeySource = "命令行指定的公钥"
	if len(publicPEM) == 0 {
		publicPEM, rep.KeySource = []byte(rep.Manifest.Signer.PublicKey), "清单中记载的单位公钥（仅证明包未被改动；请用 --pubkey 指定单位登记的公钥以确认来源）"
	}
	if err := sign.Verify(publicPEM, manifest, sig); err != nil {
		if errors.Is(err, sign.ErrBadSignature) {
			return rep, problem("签名验证失败：manifest.json 被改动，或不是由该公钥对应的私钥签名")
		}
		return rep, problem("公钥无效：%v", err)
	}
	rep.Checks = append(rep.Checks, Check{What: "manifest.sig：SM2/SM3 签名有效（" + rep.KeySource + "）", OK: true})
	listed := map[string]bool{ManifestName: true, SignatureName: true}
	var todo []listedFile
	var listing error // the first file listed twice or missing; the files before it are checked first
	for _, fe := range rep.Manifest.Files {
		if listed[fe.Path] {
			listing = problem("清单重复列出 %s", fe.Path)
			break
		}
		listed[fe.Path] = true
		f, ok := entries[fe.Path]
		if !ok {
			listing = problem("缺少文件 %s", fe.Path)
			break
		}
		todo = append(todo, listedFile{f, fe})
	}
	if err := cmp.Or(checkFiles(todo), listing); err != nil {
		return rep, err
	}
	rep.Checks = append(rep.Checks, Check{What: fmt.Sprintf("%d 个文件的大小和 SM3 哈希均与清单一致", len(rep.Manifest.Files)), OK: true})
	for name := range entries {
		if !listed[name] {
			return rep, problem("包内有清单未列出的文件 %s", name)
		}
	}
	rep.Checks = append(rep.Checks, Check{What: "没有缺少或多余的文件", OK: true})
	return rep, nil
}

// listedFile is a package entry and what the manifest says of it.
type listedFile struct {
	f  *zip.File
	fe FileEntry
}

// checkFiles checks the files, one checker per core each taking the next
// file, and returns the problem of the first in the list that has one:
// the answer of checking them one after the other, in a share of the time.
func checkFiles(files []listedFile) error {
	problems := make([]error, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(files); i = int(next.Add(1)) - 1 {
				problems[i] = checkFile(files[i].f, files[i].fe)
			}
		})
	}
	wg.Wait()
	for _, err := range problems {
		if err != nil {
			return err
		}
	}
	return nil
}

func checkFile(f *zip.File, fe FileEntry) error {
	if int64(f.UncompressedSize64) != fe.Size {
		return problem("%s 的大小为 %d 字节，清单记载 %d 字节", fe.Path, f.UncompressedSize64, fe.Size)
	}
	rc, err := f.Open()
	if err != nil {
		return problem("无法读取 %s：%v", fe.Path, err)
	}
	defer rc.Close()
	h := sm3.New()
	n, err := io.Copy(h, io.LimitReader(rc, fe.Size+1))
	if err != nil {
		return problem("%s 已损坏：%v", fe.Path, err)
	}
	if n != fe.Size || hex.EncodeToString(h.Sum(nil)) != fe.SM3 {
		return problem("%s 的内容与清单中的 SM3 哈希不符（文件被改动）", fe.Path)
	}
	return nil
}

func readSmall(entries map[string]*zip.File, name string) ([]byte, error) {
	f, ok := entries[name]
	if !ok {
		return nil, problem("缺少 %s", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, problem("无法读取 %s：%v", name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxManifest+1))
	if err != nil || len(data) > maxManifest {
		return nil, problem("%s 无法读取或过大", name)
	}
	return data, nil
}

// unsafeName says why an entry name could escape or confuse an unpacker.
func unsafeName(name string) string {
	switch {
	case name == "":
		return "文件名为空"
	case strings.Contains(name, `\`):
		return "含有反斜杠"
	case strings.HasPrefix(name, "/") || (len(name) > 1 && name[1] == ':'):
		return "是绝对路径"
	case strings.ContainsRune(name, 0):
		return "含有空字符"
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." || part == "." {
			return "含有 .. 或 . 路径"
		}
	}
	if path.Clean(name) != name {
		return "路径不规范"
	}
	return ""
}
