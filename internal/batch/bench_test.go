package batch_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"huicai/internal/batch"
	"huicai/internal/card"
	"huicai/internal/files"
	"huicai/internal/talent"
	"huicai/internal/testdb"
	"huicai/internal/testkit"
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

// benchFixture makes n approved applications, each with the attachments
// attach returns (called once per application), and returns the paths of
// the stored (sealed) attachment files.
func benchFixture(b *testing.B, n int, attach func() [][]byte) (*fixture, []string) {
	db := testdb.Open(b)
	dir := b.TempDir()
	f := &fixture{svc: &batch.Service{DB: db, Files: files.NewStore(dir), PackagesDir: filepath.Join(dir, "packages")}, leader: testdb.Leader(b, db)}
	dept := testdb.Department(b, db, "物理学院")
	c := testdb.Commissioner(b, db, f.leader, "zhuanyuan", 1, dept, true)
	kinds := []string{card.KindIDScan, card.KindTitleProof, card.KindOther}
	var paths []string
	for i := range n {
		r := testdb.Registration(fmt.Sprintf("rencai%d", i), i%500, dept)
		r.Name = rare[i%len(rare)]
		birth := time.Date(1975, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/500) // 500 ID numbers a day
		r.BirthDate, r.IDNumber = birth.Format("2006-01-02"), testdb.ResidentID(birth.Format("20060102"), i%500, true)
		tal, err := talent.Register(ctx, db, r, testdb.FastHash, "", card.Open)
		if err != nil {
			b.Fatal(err)
		}
		testdb.Bind(b, db, f.leader, c, tal.ID)
		a, _ := card.Current(ctx, db, tal.ID)
		for j, blob := range attach() {
			file, err := f.svc.Files.Put(bytes.NewReader(blob), "扫描件.pdf")
			if err != nil {
				b.Fatal(err)
			}
			paths = append(paths, filepath.Join(dir, "files", file.SHA256[:2], file.SHA256)) // sealed: as many bytes to hash
			if _, err := card.Attach(ctx, db, c, a.ID, kinds[j%len(kinds)], file, ""); err != nil {
				b.Fatal(err)
			}
		}
		m := card.Materials{HighestEducation: "博士研究生", HighestDegree: "博士", SchoolMajor: "山东大学 物理", ProfessionalTitle: "教授",
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

// randomPDFs are three 2 MB attachments of random (incompressible) bytes.
func randomPDFs() [][]byte { return randomFiles(3, 2<<20) }

// randomFiles are n PDF attachments of size random bytes.
func randomFiles(n, size int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = make([]byte, size)
		rand.Read(out[i])
		copy(out[i], "%PDF-1.7\n")
	}
	return out
}

// BenchmarkExportAndPackage200 exports and packages a batch of 200
// applications with three 2 MB attachments each, and reports the peak Go
// heap, the package throughput, and OpenSSL's SM3 throughput over the
// same attachment files for comparison (scripts/bench.sh runs it).
func BenchmarkExportAndPackage200(b *testing.B) {
	if b.N > 1 {
		b.Skip("each round needs 1.2 GB of fresh attachments: run with -benchtime 1x")
	}
	f, paths := benchFixture(b, 200, randomPDFs)
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

// BenchmarkExportForms exports a batch of HUICAI_BENCH_FORMS (default
// 1000) applications with two small attachments each, and reports the time
// per form and the peak Go heap.
func BenchmarkExportForms(b *testing.B) {
	n := 1000
	if s := os.Getenv("HUICAI_BENCH_FORMS"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil {
			b.Fatal(err)
		}
	}
	f, _ := benchFixture(b, n, func() [][]byte { return [][]byte{pdf, pdf} })
	var exportS, cpuS, heapMB, cycles, rssMB float64
	for b.Loop() {
		b.StopTimer()
		bt := f.create(b)
		heap := watchHeap()
		b.StartTimer()
		testkit.ResetPeakRSS()
		start, cpu, gcs := time.Now(), cpuTime(), gcCycles()
		if _, err := f.svc.Export(ctx, card.Kind, f.leader, bt.ID, "", noProgress); err != nil {
			b.Fatal(err)
		}
		exportS, cpuS, cycles = time.Since(start).Seconds(), (cpuTime() - cpu).Seconds(), float64(gcCycles()-gcs)
		rssMB = testkit.PeakRSS()
		b.StopTimer()
		heapMB = heap.end()
		if err := batch.Cancel(ctx, f.svc.DB, card.Kind, f.leader, bt.ID, ""); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(exportS, "export-s")
	b.ReportMetric(exportS*1000/float64(n), "ms/form")
	b.ReportMetric(cpuS*1000/float64(n), "cpu-ms/form")
	b.ReportMetric(heapMB, "peak-heap-MB")
	b.ReportMetric(cycles, "gc-cycles")
	b.ReportMetric(rssMB, "peak-RSS-MB")
}

// gcCycles is how many garbage collections the process has run.
func gcCycles() uint32 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.NumGC
}

// cpuTime is the CPU time the process has used on every core, user and
// system, from /proc/self/stat (Linux; 0 elsewhere). Unlike the wall time
// it does not grow when other programs share the cores.
func cpuTime() time.Duration {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:])) // after the command name
	var user, system int64
	if len(fields) < 13 {
		return 0
	}
	fmt.Sscan(fields[11], &user) // utime and stime, fields 14 and 15 of proc(5), in clock ticks of 10 ms
	fmt.Sscan(fields[12], &system)
	return time.Duration(user+system) * 10 * time.Millisecond
}

// BenchmarkSubmitSmallFiles seals the package of 1,000 applications with
// three attachments of 40 KB each, as a big unit's scans are: the cost of
// each file, besides its bytes, shows. Run it with -benchtime 1x: a round
// submits the applications.
func BenchmarkSubmitSmallFiles(b *testing.B) {
	f, _ := benchFixture(b, 1000, func() [][]byte { return randomFiles(3, 40<<10) })
	var packS, packMB float64
	for b.Loop() {
		b.StopTimer()
		bt := f.create(b)
		if _, err := f.svc.Export(ctx, card.Kind, f.leader, bt.ID, "", noProgress); err != nil {
			b.Fatal(err)
		}
		f.scan(b, bt.ID)
		b.StartTimer()
		start := time.Now()
		bt, err := f.svc.Submit(ctx, card.Kind, f.leader, bt.ID, testdb.Password, "", noProgress)
		if err != nil {
			b.Fatal(err)
		}
		packS, packMB = time.Since(start).Seconds(), float64(bt.PackageSize)/(1<<20)
	}
	b.ReportMetric(packS, "package-s")
	b.ReportMetric(packMB, "package-MB")
	b.ReportMetric(packMB/packS, "package-MB/s")
}
