package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"huicai/internal/clock"
	"huicai/internal/pack"
	"huicai/internal/sign"
)

// runVerify is "huicai verify PACKAGE [--pubkey unit.pem]": it prints each
// check and fails with the first problem.
func runVerify(args []string, stdout, stderr io.Writer) error {
	fl := newFlags("verify", stderr)
	pubkey := fl.String("pubkey", "", "")
	pkg, err := parseWithTarget(fl, args, "用法：huicai verify 提交包.zip [--pubkey 单位公钥.pem]")
	if err != nil {
		return err
	}
	var pub []byte
	if *pubkey != "" {
		if pub, err = os.ReadFile(*pubkey); err != nil {
			return fmt.Errorf("无法读取公钥 %s：%w", *pubkey, err)
		}
	}
	f, err := os.Open(pkg)
	if err != nil {
		return fmt.Errorf("无法打开提交包：%w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	rep, err := pack.Verify(f, st.Size(), pub)
	for _, c := range rep.Checks {
		fmt.Fprintln(stdout, "✓ "+c.What)
	}
	if err != nil {
		return fmt.Errorf("校验失败：%w", err)
	}
	m := rep.Manifest
	fmt.Fprintf(stdout, "提交包校验通过：%s（%s）%s批次 %s，%d 条事项，提交包编号 %s\n",
		m.Unit.Name, m.Unit.USCC, m.Batch.KindLabel, m.Batch.Number, len(m.Items), m.PackageID)
	return nil
}

// parseWithTarget parses flags that may come before or after one file argument.
func parseWithTarget(fl *flag.FlagSet, args []string, usage string) (string, error) {
	var target string
	for len(args) > 0 {
		if err := fl.Parse(args); err != nil {
			return "", err
		}
		args = fl.Args()
		if len(args) > 0 {
			if target != "" {
				return "", errors.New(usage)
			}
			target, args = args[0], args[1:]
		}
	}
	if target == "" {
		return "", errors.New(usage)
	}
	return target, nil
}

type rejectFlags map[int64]string

func (r rejectFlags) String() string { return fmt.Sprint(map[int64]string(r)) }

func (r rejectFlags) Set(v string) error {
	id, reason, ok := strings.Cut(v, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || strings.TrimSpace(reason) == "" {
		return errors.New("--reject 的格式为 事项编号:不通过原因")
	}
	r[n] = reason
	return nil
}

const provinceUsage = `用法：
  huicai province keygen --out 文件夹
  huicai province receipt 提交包.zip --key province.key [--reject 编号:原因 …] -o receipt.zip`

// runProvince is the province side: make a key pair, answer a package.
func runProvince(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(provinceUsage)
	}
	switch args[0] {
	case "keygen":
		return provinceKeygen(args[1:], stdout, stderr)
	case "receipt":
		return provinceReceipt(args[1:], stdout, stderr)
	}
	return errors.New(provinceUsage)
}

func provinceKeygen(args []string, stdout, stderr io.Writer) error {
	fl := newFlags("province keygen", stderr)
	out := fl.String("out", "", "")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New(provinceUsage)
	}
	priv, pub, err := sign.GenerateKeyPair()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return err
	}
	keyPath, pubPath := filepath.Join(*out, "province.key"), filepath.Join(*out, "province.pem")
	if _, err := os.Stat(keyPath); err == nil {
		return fmt.Errorf("%s 已存在，不会覆盖", keyPath)
	}
	if err := os.WriteFile(keyPath, []byte(priv), 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(pubPath, []byte(pub), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已生成省级密钥：私钥 %s（妥善保管），公钥 %s（发给各单位配置）\n", keyPath, pubPath)
	return nil
}

func provinceReceipt(args []string, stdout, stderr io.Writer) error {
	fl := newFlags("province receipt", stderr)
	keyPath := fl.String("key", "", "")
	out := fl.String("o", "", "")
	rejects := rejectFlags{}
	fl.Var(rejects, "reject", "")
	pkg, err := parseWithTarget(fl, args, provinceUsage)
	if err != nil {
		return err
	}
	if *keyPath == "" || *out == "" {
		return errors.New(provinceUsage)
	}
	keyPEM, err := os.ReadFile(*keyPath)
	if err != nil {
		return fmt.Errorf("无法读取省级私钥：%w", err)
	}
	key, err := sign.ParsePrivatePEM(keyPEM)
	if err != nil {
		return fmt.Errorf("省级私钥无效：%w", err)
	}
	rc, err := pack.MakeReceipt(pkg, key, rejects, clock.Now(), *out)
	if err != nil {
		return err
	}
	for _, it := range rc.Items {
		if it.Accepted {
			fmt.Fprintf(stdout, "事项 %d：通过 %s\n", it.ID, it.CardNo)
		} else {
			fmt.Fprintf(stdout, "事项 %d：不通过（%s）\n", it.ID, it.Reason)
		}
	}
	fmt.Fprintf(stdout, "回执已写入 %s\n", *out)
	return nil
}
