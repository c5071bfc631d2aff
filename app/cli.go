package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"huicai/internal/account"
	"huicai/internal/audit"
	"huicai/internal/schema"
	"huicai/internal/store"
)

const usage = `惠才通 huicai

用法：
  huicai [--data 文件夹]              打开桌面窗口（默认）
  huicai serve [选项]                  在浏览器中使用：为局域网提供同一界面和接口
      --listen 地址:端口               监听地址，默认 127.0.0.1:8080
      --data 文件夹                    数据文件夹
      --tls-cert 文件 --tls-key 文件   使用已有的 TLS 证书
      --tls-self-signed                生成并保存自签名证书，打印其 SHA-256 指纹
      --host 名称                      另外允许的访问名称（可重复），如 huicai.example.org
      --session-idle 时长              会话空闲超时，默认 15m
  huicai audit verify [--data 文件夹]  校验审计日志的哈希链，指出第一条被改动的记录
  huicai verify 提交包.zip [--pubkey 单位公钥.pem]
                                       校验提交包的签名、每个文件的大小和 SM3 哈希
  huicai province keygen --out 文件夹  （省级）生成省级 SM2 密钥对
  huicai province receipt 提交包.zip --key province.key [--reject 编号:原因 …] -o receipt.zip
                                       （省级）校验提交包并签发回执
  huicai key export --out 文件 [--passphrase-file 文件]
                                       导出受口令保护的数据密钥恢复副本
  huicai key restore 文件 [--passphrase-file 文件]
                                       用恢复副本恢复丢失或损坏的数据密钥
  huicai backup --out 文件.zip          备份数据库、附件和提交包（写完后校验）
  huicai restore 文件.zip               从备份恢复（先校验；保留恢复前的数据；请先关闭惠才通）
  huicai version                       显示版本、提交和数据库架构版本

数据文件夹：--data 优先，其次环境变量 HUICAI_DATA，默认为用户配置目录下的 huicai
（Windows 为 %AppData%\huicai）。
`

// Main runs the command line and returns the process exit code.
func Main(args []string, assets fs.FS, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "":
		err = runDesktop(args, assets, stderr)
	case "serve":
		err = runServe(args, assets, stdout, stderr)
	case "audit":
		err = runAudit(args, stdout, stderr)
	case "verify":
		err = runVerify(args, stdout, stderr)
	case "province":
		err = runProvince(args, stdout, stderr)
	case "backup":
		err = runBackup(args, stdout, stderr)
	case "restore":
		err = runRestore(args, stdout, stderr)
	case "key":
		err = runKey(args, os.Stdin, stdout, stderr)
	case "version":
		fmt.Fprintf(stdout, "huicai %s\ncommit %s\nschema %d\n", Version, Commit(), schema.Version())
	case "help":
		fmt.Fprint(stdout, usage)
	default:
		err = fmt.Errorf("未知命令 %q\n\n%s", cmd, usage)
	}
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "错误："+err.Error())
		}
		return 1
	}
	return 0
}

// DefaultDataDir is where data lives unless --data or HUICAI_DATA say otherwise.
func DefaultDataDir() string {
	if d := os.Getenv("HUICAI_DATA"); d != "" {
		return d
	}
	base, err := os.UserConfigDir()
	if err != nil {
		base = "."
	}
	return filepath.Join(base, "huicai")
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fl := flag.NewFlagSet(name, flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() { fmt.Fprint(stderr, usage) }
	return fl
}

// openApp opens the data folder with a log file inside it.
func openApp(dataDir string, policy account.Policy, stderr io.Writer) (*App, func(), error) {
	if err := store.EnsureWritableDir(dataDir); err != nil {
		return nil, nil, errors.New(DescribeOpenError(dataDir, err))
	}
	logFile, err := os.OpenFile(filepath.Join(dataDir, "huicai.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, errors.New(DescribeOpenError(dataDir, err))
	}
	log := slog.New(slog.NewTextHandler(io.MultiWriter(logFile, stderr), nil))
	a, err := Open(context.Background(), Config{DataDir: dataDir, Policy: policy, Log: log})
	if err != nil {
		log.Error("open failed", "data", dataDir, "err", err)
		logFile.Close()
		return nil, nil, &openError{dir: dataDir, err: err}
	}
	return a, func() { a.Close(); logFile.Close() }, nil
}

func runDesktop(args []string, assets fs.FS, stderr io.Writer) error {
	fl := newFlags("huicai", stderr)
	dataDir := fl.String("data", DefaultDataDir(), "")
	if err := fl.Parse(args); err != nil {
		return err
	}
	inst, err := enterDesktop(*dataDir, stderr)
	if err != nil {
		err = claimError(*dataDir, err)
		messageBox("惠才通", err.Error())
		return err
	}
	if inst == nil {
		return nil // handed over to the app already running on this folder
	}
	defer inst.Close()
	a, done, err := openApp(*dataDir, account.DefaultPolicy(), stderr)
	if err != nil {
		return showStartupFailure(assets, *dataDir, err, stderr, inst)
	}
	defer done()
	return a.desktopUI(assets, inst).show()
}

// claimError describes a data folder this process could not take (see
// claimInstance).
func claimError(dataDir string, err error) error {
	if errors.Is(err, store.ErrNotWritable) {
		return errors.New(DescribeOpenError(dataDir, err))
	}
	return err
}

func runServe(args []string, assets fs.FS, stdout, stderr io.Writer) error {
	fl := newFlags("serve", stderr)
	opt := ServeOptions{Out: stdout}
	fl.StringVar(&opt.Listen, "listen", "127.0.0.1:8080", "")
	fl.StringVar(&opt.DataDir, "data", DefaultDataDir(), "")
	fl.StringVar(&opt.TLSCert, "tls-cert", "", "")
	fl.StringVar(&opt.TLSKey, "tls-key", "", "")
	fl.BoolVar(&opt.TLSSelfSigned, "tls-self-signed", false, "")
	fl.Var((*hostNames)(&opt.Hosts), "host", "")
	policy := account.DefaultPolicy()
	fl.DurationVar(&policy.SessionIdle, "session-idle", policy.SessionIdle, "")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("多余的参数 %q", fl.Args())
	}
	if policy.SessionIdle < time.Second {
		return errors.New("--session-idle 至少为 1s")
	}
	if !IsLoopback(opt.Listen) && !opt.TLSSelfSigned && opt.TLSCert == "" && opt.TLSKey == "" {
		return ErrPlainLAN
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	inst, err := claimInstance(opt.DataDir)
	if err != nil {
		return claimError(opt.DataDir, err)
	}
	defer inst.Close()
	inst.answering(knockServe)
	a, done, err := openApp(opt.DataDir, policy, stderr)
	if err != nil {
		return serveStartupFailure(ctx, assets, opt, err, stderr)
	}
	defer done()
	return a.Serve(ctx, assets, opt)
}

func runAudit(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("用法：huicai audit verify [--data 文件夹]")
	}
	fl := newFlags("audit verify", stderr)
	dataDir := fl.String("data", DefaultDataDir(), "")
	if err := fl.Parse(args[1:]); err != nil {
		return err
	}
	db, err := OpenData(context.Background(), *dataDir)
	if err != nil {
		return errors.New(DescribeOpenError(*dataDir, err))
	}
	defer db.Close()
	n, err := audit.CheckFull(context.Background(), db, *dataDir)
	var broken *audit.ErrBroken
	if errors.As(err, &broken) {
		return fmt.Errorf("审计日志校验失败：%s。", describeBroken(broken))
	}
	if err != nil {
		return err
	}
	head, err := audit.HeadHash(context.Background(), db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "审计日志校验通过：共 %d 条记录，哈希链完整。\n最新哈希：%s\n", n, head)
	return nil
}

// describeBroken says in Chinese how the audit log was found broken.
func describeBroken(b *audit.ErrBroken) string {
	switch b.Kind {
	case audit.BrokenLink:
		return fmt.Sprintf("第 %d 条记录与前一条记录的哈希不衔接（有记录被删除、插入或改动），此后的记录无法证明未被改动", b.RowID)
	case audit.BrokenContent:
		return fmt.Sprintf("第 %d 条记录的内容与其哈希不符（记录被改动），此后的记录无法证明未被改动", b.RowID)
	case audit.Truncated:
		return fmt.Sprintf("最新的记录被删除：日志应至少记到第 %d 条，现已不足", b.RowID)
	case audit.HeadReplaced:
		return fmt.Sprintf("第 %d 条记录被替换，与数据库外保存的日志末端不符", b.RowID)
	case audit.AnchorMissing:
		return "数据库外保存的日志末端文件（audit.head）丢失，无法证明最新的记录未被删除"
	}
	return "数据库外保存的日志末端文件（audit.head）已损坏或不属于本数据密钥"
}

// openError is a data folder that would not open, described for people.
type openError struct {
	dir string
	err error
}

func (e *openError) Error() string { return DescribeOpenError(e.dir, e.err) }
func (e *openError) Unwrap() error { return e.err }

// showStartupFailure prints why the data folder would not open and, for the
// desktop, shows it in the window (a Windows program has no console), with
// the recovery-key repair when the key is the problem.
func showStartupFailure(assets fs.FS, dataDir string, err error, stderr io.Writer, inst *instance) error {
	fmt.Fprintln(stderr, "错误："+err.Error())
	var oe *openError
	if !errors.As(err, &oe) {
		return err
	}
	s := newStartupFailure(dataDir, oe, slog.New(slog.NewTextHandler(stderr, nil)))
	ui := desktopUI{assets: assets, dataDir: dataDir, api: s.API(), log: s.log, inst: inst}
	if werr := ui.show(); werr != nil {
		return werr
	}
	return err
}
