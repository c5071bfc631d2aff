package batch_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"huicai/internal/batch"
	"huicai/internal/card"
	"huicai/internal/files"
	"huicai/internal/talent"
	"huicai/internal/testdb"
)

// heapPeak samples the Go heap while a measured step runs.
type heapPeak struct {
	mu   sync.Mutex
	peak uint64
	stop chan struct{}
	done chan struct{}
}

func watchHeap() *heapPeak {
	h := &heapPeak{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			h.mu.Lock()
			h.peak = max(h.peak, m.HeapInuse)
			h.mu.Unlock()
			select {
			case <-h.stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return h
}

func (h *heapPeak) end() float64 {
	close(h.stop)
	<-h.done
	return float64(h.peak) / (1 << 20)
}

// bigFixture makes n approved applications, each with three 2 MB attachments.
func bigFixture(b *testing.B, n int) (*fixture, []string) {
	db := testdb.Open(b)
	dir := b.TempDir()
	f := &fixture{svc: &batch.Service{DB: db, Files: files.NewStore(dir), PackagesDir: filepath.Join(dir, "packages")}, leader: testdb.Leader(b, db)}
	dept := testdb.Department(b, db, "物理学院")
	c := testdb.Commissioner(b, db, f.leader, "zhuanyuan", 1, dept, true)
	blob := make([]byte, 2<<20)
	var paths []string
	for i := 0; i < n; i++ {
		r := testdb.Registration(fmt.Sprintf("rencai%d", i), i+1, dept)
		tal, err := talent.Register(ctx, db, r, testdb.FastHash, "", card.Open)
		if err != nil {
			b.Fatal(err)
		}
		testdb.Bind(b, db, f.leader, c, tal.ID)
		a, _ := card.Current(ctx, db, tal.ID)
		for _, kind := range []string{card.KindIDScan, card.KindTitleProof, card.KindOther} {
			rand.Read(blob)
			copy(blob, "%PDF-1.7\n")
			file, err := f.svc.Files.Put(bytes.NewReader(blob), "扫描件.pdf")
			if err != nil {
				b.Fatal(err)
			}
			paths = append(paths, filepath.Join(dir, "files", file.SHA256[:2], file.SHA256)) // sealed: as many bytes to hash
			if _, err := card.Attach(ctx, db, c, a.ID, kind, file, ""); err != nil {
				b.Fatal(err)
			}
		}
		m := card.Materials{HighestEducation: "研究生", HighestDegree: "博士", SchoolMajor: "山东大学 物理", ProfessionalTitle: "教授",
			CurrentPosition: "教授", Field: "物理", TitleDocument: "鲁政字〔2018〕1号", Achievements: "业绩", PostalAddress: "济南市", PostalCode: "250100"}
		if a, err = card.Submit(ctx, db, c, a.ID, card.Draft{Version: a.Version, Materials: m}, ""); err != nil {
			b.Fatal(err)
		}
		if _, err := card.Review(ctx, db, f.leader, a.ID, card.Decision{Version: a.Version, Result: card.ActionApprove}, ""); err != nil {
			b.Fatal(err)
		}
		f.apps = append(f.apps, a.ID)
	}
	return f, paths
}

// BenchmarkExportAndPackage200 exports and packages a batch of 200
// applications with three 2 MB attachments each, and reports the peak Go
// heap, the package throughput, and OpenSSL's SM3 throughput over the
// same attachment files for comparison (scripts/bench.sh runs it).
func BenchmarkExportAndPackage200(b *testing.B) {
	if b.N > 1 {
		b.Skip("each round needs 1.2 GB of fresh attachments: run with -benchtime 1x")
	}
	f, paths := bigFixture(b, 200)
	b.ResetTimer()
	var exportS, packS, packMB, heapMB float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		bt, err := batch.Create(ctx, f.svc.DB, card.Kind, f.leader, f.apps, contact(), "")
		if err != nil {
			b.Fatal(err)
		}
		heap := watchHeap()
		b.StartTimer()
		start := time.Now()
		if _, err := f.svc.Export(ctx, card.Kind, f.leader, bt.ID, "", noProgress); err != nil {
			b.Fatal(err)
		}
		exportS = time.Since(start).Seconds()
		b.StopTimer()
		f.scan(b, bt.ID)
		b.StartTimer()
		start = time.Now()
		bt, err = f.svc.Submit(ctx, card.Kind, f.leader, bt.ID, testdb.Password, "", noProgress)
		if err != nil {
			b.Fatal(err)
		}
		packS = time.Since(start).Seconds()
		b.StopTimer()
		heapMB = heap.end()
		packMB = float64(bt.PackageSize) / (1 << 20)
	}
	b.ReportMetric(exportS, "export-s")
	b.ReportMetric(packS, "package-s")
	b.ReportMetric(packMB, "package-MB")
	b.ReportMetric(packMB/packS, "package-MB/s")
	b.ReportMetric(heapMB, "peak-heap-MB")
	if sm3, err := opensslSM3(paths); err == nil {
		b.ReportMetric(sm3, "openssl-sm3-MB/s")
	}
}

// opensslSM3 times "openssl dgst -sm3" over the same files.
func opensslSM3(paths []string) (float64, error) {
	var total int64
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return 0, err
		}
		total += st.Size()
	}
	start := time.Now()
	if err := exec.Command("openssl", append([]string{"dgst", "-sm3"}, paths...)...).Run(); err != nil {
		return 0, err
	}
	return float64(total) / (1 << 20) / time.Since(start).Seconds(), nil
}
