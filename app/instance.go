package app

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"huicai/internal/store"
)

// One process per data folder: whoever runs on a folder — the desktop app,
// in its window or in the browser, or huicai serve — holds an exclusive lock
// on DATA/.instance.lock for its whole life (LockFileEx on Windows, flock
// elsewhere; the system drops it when the process ends, however it ends).
// The holder also listens on a loopback port written into that file, with
// a secret, so that a second desktop start can "knock": the holder brings
// its window forward, or opens the browser again, and the second process
// exits without opening the database.

// instanceFile is the lock file in the data folder.
const instanceFile = ".instance.lock"

// What a holder answers a knock.
const (
	knockWindow   = "window"   // it brought its window forward
	knockBrowser  = "browser"  // it opened the browser again
	knockStarting = "starting" // it is starting; its window or browser comes up by itself
	knockWait     = "wait"     // it is closing, or running a short command (restore): wait for the folder
	knockServe    = "serve"    // it is huicai serve: no desktop app on its folder
)

// How long a second start waits for the holder to answer (or to close).
const (
	knockTries = 50
	knockPause = 200 * time.Millisecond
)

// errLocked is another process's lock on the file (see lockFile).
var errLocked = errors.New("locked by another process")

// heldError is a data folder another process holds.
type heldError struct{ dir string }

func (e *heldError) Error() string {
	return fmt.Sprintf("数据文件夹 %s 正由另一个惠才通程序使用（桌面窗口或 huicai serve）。同一数据文件夹同时只能由一个程序打开，请先关闭另一个程序。", e.dir)
}

// instance is this process's hold on a data folder.
type instance struct {
	file   *os.File
	ln     net.Listener
	secret string

	mu     sync.Mutex
	answer func() string
}

// claimInstance takes the data folder for this process, creating it if
// needed. It fails with *heldError when another process holds it.
func claimInstance(dataDir string) (*instance, error) {
	if err := store.EnsureWritableDir(dataDir); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dataDir, instanceFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("无法打开 %s：%w", filepath.Join(dataDir, instanceFile), err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, &heldError{dataDir}
		}
		return nil, fmt.Errorf("无法锁定数据文件夹 %s：%w", dataDir, err)
	}
	in := &instance{file: f, answer: func() string { return knockStarting }}
	if err := in.listen(); err != nil {
		f.Close()
		return nil, err
	}
	go in.serveKnocks()
	return in, nil
}

// listen opens the knock port and writes its address and secret into the
// lock file (readable by the folder's owner only).
func (in *instance) listen() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("无法在本机回环地址上监听：%w", err)
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	in.ln, in.secret = ln, hex.EncodeToString(secret)
	if err := in.file.Truncate(0); err != nil {
		ln.Close()
		return err
	}
	if _, err := in.file.WriteAt([]byte(ln.Addr().String()+" "+in.secret+"\n"), 0); err != nil {
		ln.Close()
		return err
	}
	return nil
}

// onKnock sets what a knock does; fn returns the answer (knockWindow …).
func (in *instance) onKnock(fn func() string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.answer = fn
}

// answering returns the answer a knock gets now.
func (in *instance) answering(reply string) { in.onKnock(func() string { return reply }) }

func (in *instance) serveKnocks() {
	for {
		c, err := in.ln.Accept()
		if err != nil {
			return
		}
		go in.answerKnock(c)
	}
}

// answerKnock answers one knock that brings the secret.
func (in *instance) answerKnock(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second)) // a socket deadline is real time, not the program's clock
	line, err := bufio.NewReader(io.LimitReader(c, 256)).ReadString('\n')
	secret, ok := strings.CutPrefix(strings.TrimSpace(line), "knock ")
	if err != nil || !ok || subtle.ConstantTimeCompare([]byte(secret), []byte(in.secret)) != 1 {
		return
	}
	in.mu.Lock()
	answer := in.answer
	in.mu.Unlock()
	_, _ = io.WriteString(c, answer()+"\n") // a knocker that went away needs no answer
}

// Close stops answering and lets the folder go.
func (in *instance) Close() error {
	in.answering(knockWait)
	in.ln.Close()
	_ = in.file.Truncate(0) // the secret is spent
	return in.file.Close()
}

// knockOnce asks the holder of dataDir to come forward and returns its answer.
func knockOnce(dataDir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dataDir, instanceFile))
	if err != nil {
		return "", err
	}
	addr, secret, ok := strings.Cut(strings.TrimSpace(string(data)), " ")
	if !ok || !IsLoopback(addr) {
		return "", errors.New("the holder has not written its address yet")
	}
	c, err := net.DialTimeout("tcp", addr, 3*time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, "knock "+secret+"\n"); err != nil {
		return "", err
	}
	reply, err := bufio.NewReader(io.LimitReader(c, 64)).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(reply), nil
}

// enterDesktop claims dataDir for the desktop app, or hands this start to
// the desktop app that holds it: then it returns a nil instance and nil
// error, and the process exits (0) without opening the database. A folder
// that huicai serve holds, or whose holder does not answer, is refused.
func enterDesktop(dataDir string, stderr io.Writer) (*instance, error) {
	allowForeground() // the holder may bring its window to the front
	var lastErr error
	for try := 0; try < knockTries; try++ {
		if try > 0 {
			time.Sleep(knockPause)
		}
		in, err := claimInstance(dataDir)
		var held *heldError
		if !errors.As(err, &held) {
			return in, err
		}
		reply, err := knockOnce(dataDir)
		switch {
		case err != nil:
			lastErr = err // still starting up, or not answering
		case reply == knockServe:
			return nil, fmt.Errorf("数据文件夹 %s 正由 huicai serve（局域网服务）使用，桌面版不能同时打开它。请在浏览器中打开该服务的地址，或先停止服务再打开桌面版。", dataDir)
		case reply == knockWait:
			lastErr = errors.New("正在关闭或正在恢复备份")
		default:
			handedOver(stderr, dataDir, reply)
			return nil, nil
		}
	}
	return nil, fmt.Errorf("%s它没有响应（%v）；如果它已停止响应，请在任务管理器中结束 huicai.exe 后重试。", (&heldError{dataDir}).Error(), lastErr)
}

// handedOver says what the holder did for this second start.
func handedOver(stderr io.Writer, dataDir, reply string) {
	what := "已切换到已打开的窗口"
	if reply == knockBrowser {
		what = "已在浏览器中重新打开"
	}
	fmt.Fprintf(stderr, "惠才通已在运行（数据文件夹 %s），%s。\n", dataDir, what)
}
