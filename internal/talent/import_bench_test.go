package talent_test

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"huicai/internal/card"
	"huicai/internal/sheetin"
	"huicai/internal/talent"
	"huicai/internal/testdb"
	"huicai/internal/testkit"
)

// BenchmarkImport10000 checks and imports a generated sheet of 10,000
// talents (issue 15: under 15 s, peak memory under 300 MB). It reports the
// preview (check) and commit times, the peak Go heap and the process's
// peak RSS while they ran (Linux); scripts/bench.sh runs it.
func BenchmarkImport10000(b *testing.B) {
	if b.N > 1 {
		b.Skip("one round imports 10,000 talents into a fresh database: run with -benchtime 1x")
	}
	data := bigSheet(b, 10000)
	var checkS, importS, heapMB float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := newImportFixture(b)
		runtime.GC()
		testkit.ResetPeakRSS()
		peak := sampleHeap()
		b.StartTimer()
		start := time.Now()
		file, err := sheetin.Open(bytes.NewReader(data), int64(len(data)), "人才.xlsx")
		if err != nil {
			b.Fatal(err)
		}
		c, err := talent.CheckImport(ctx, f.db, file, importDay)
		file.Close()
		if err != nil || c.Valid != 10000 {
			b.Fatalf("check: %v, %+v", err, c.Problems[:min(3, len(c.Problems))])
		}
		checkS = time.Since(start).Seconds()
		start = time.Now()
		if _, err := talent.Import(ctx, f.db, f.leader, c, sheetin.AllOrNone, "人才.xlsx", "bench", card.Open); err != nil {
			b.Fatal(err)
		}
		importS = time.Since(start).Seconds()
		heapMB = peak()
	}
	b.ReportMetric(checkS, "check-s")
	b.ReportMetric(importS, "import-s")
	b.ReportMetric(checkS+importS, "total-s")
	b.ReportMetric(heapMB, "peak-heap-MB")
	b.ReportMetric(testkit.PeakRSS(), "peak-RSS-MB")
	b.ReportMetric(float64(len(data))/(1<<20), "sheet-MB")
}

// bigSheet is an xlsx of n valid talent rows, made with a StreamWriter.
func bigSheet(b *testing.B, n int) []byte {
	x := excelize.NewFile()
	sw, _ := x.NewStreamWriter("Sheet1")
	header := make([]any, len(importHeader))
	for i, h := range importHeader {
		header[i] = h
	}
	sw.SetRow("A1", header)
	for i := 1; i <= n; i++ {
		row := goodRow(i, fmt.Sprintf("人才%05d", i))
		row[0] = []string{"王堃", "李喆", "张赟", "陈镕", "刘珺"}[i%5] + fmt.Sprint(i)
		born := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/400) // 400 people a day of birth
		row[2], row[5] = born.Format("2006-01-02"), testdb.ResidentID(born.Format("20060102"), i%400+1, true)
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	sw.Flush()
	var buf bytes.Buffer
	x.WriteTo(&buf)
	return buf.Bytes()
}

// sampleHeap samples the Go heap every 10 ms until the answered function
// is called; that answers the peak in MB.
func sampleHeap() func() float64 {
	stop, done := make(chan struct{}), make(chan float64)
	go func() {
		var peak uint64
		var m runtime.MemStats
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-stop:
				done <- float64(peak) / (1 << 20)
				return
			case <-tick.C:
			}
		}
	}()
	return func() float64 { close(stop); return <-done }
}
