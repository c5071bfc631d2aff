package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"huicai/internal/store"
	"huicai/internal/vault"
)

const keyUsage = `用法：
  huicai key export --out 恢复密钥文件 [--passphrase-file 文件] [--data 文件夹]
  huicai key restore 恢复密钥文件 [--passphrase-file 文件] [--data 文件夹]
恢复口令从 --passphrase-file 的第一行读取，未指定时从标准输入读取一行；口令至少 12 个字符。`

// runKey exports the data key's recovery copy, or restores the key from it.
func runKey(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "restore") {
		return errors.New(keyUsage)
	}
	fl := newFlags("key "+args[0], stderr)
	dataDir := fl.String("data", DefaultDataDir(), "")
	out := fl.String("out", "", "")
	passFile := fl.String("passphrase-file", "", "")
	var target string
	var err error
	if args[0] == "restore" {
		if target, err = parseWithTarget(fl, args[1:], keyUsage); err != nil {
			return err
		}
	} else if err := fl.Parse(args[1:]); err != nil || *out == "" {
		return errors.New(keyUsage)
	}
	pass, err := readPassphrase(*passFile, stdin)
	if err != nil {
		return err
	}
	if args[0] == "export" {
		key, err := vault.LoadKey(*dataDir)
		if err != nil {
			return errors.New(DescribeOpenError(*dataDir, err))
		}
		data, err := vault.ExportRecovery(key, pass)
		if err != nil {
			return err
		}
		if err := writeAtomically(*out, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "恢复密钥已写入 %s。请与口令分开、离开本机妥善保管。\n", *out)
		return nil
	}
	data, err := os.ReadFile(target)
	if err != nil {
		return fmt.Errorf("无法读取恢复密钥文件：%w", err)
	}
	key, err := vault.ImportRecovery(data, pass)
	if errors.Is(err, vault.ErrWrongPassphrase) {
		return errors.New("恢复口令不正确，数据密钥未作任何改动")
	}
	if err != nil {
		return fmt.Errorf("恢复密钥文件无效：%w", err)
	}
	err = vault.RestoreKey(context.Background(), *dataDir, filepath.Join(*dataDir, store.FileName), key)
	if errors.Is(err, vault.ErrKeyMismatch) {
		return errors.New("该恢复密钥不属于此数据文件夹中的数据库，数据密钥未作任何改动")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "数据密钥已恢复到 %s。\n", vault.KeyPath(*dataDir))
	return nil
}

func readPassphrase(file string, stdin io.Reader) (string, error) {
	var line string
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("无法读取口令文件：%w", err)
		}
		line, _, _ = strings.Cut(string(data), "\n")
	} else {
		s := bufio.NewScanner(stdin)
		if s.Scan() {
			line = s.Text()
		}
	}
	line = strings.TrimRight(line, "\r")
	if utf8.RuneCountInString(line) < vault.PassphraseMinLength {
		return "", fmt.Errorf("恢复口令至少 %d 个字符", vault.PassphraseMinLength)
	}
	return line, nil
}
