package perf

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// section is a table: the rows' Section and the table's title.
type section struct{ key, title string }

// sections are the tables, in the order they are shown; a section not
// named here follows them, titled by its key.
var sections = []section{
	{"seed", "Seeded installation"},
	{"start", "Start-up of `huicai serve`"},
	{"lists", "Lists and counts: p50 / p99, one request at a time"},
	{"load", "Workstations at once (closed loop, no think time)"},
	{"memory", "Memory of the `huicai serve` process"},
	{"papers", "Exports, packaging and backup"},
}

// Markdown is the "## Scale" section of docs/benchmarks.md: what was
// measured how, on which machine, and a table per section with the scales
// side by side.
func Markdown(rows []Row, scales []int, requests int, load time.Duration, at time.Time) string {
	var b strings.Builder
	b.WriteString("## Scale\n\n" + wrap(fmt.Sprintf(
		"Measured by `scripts/perf.sh` on %s, %s (`scripts/perf.sh --short`, 1k only, runs in the test command and "+
			"writes `test-output/perf.md`). For each scale, `internal/perf` seeds a fresh data folder through the program's "+
			"own functions — first-run setup, registrations, uploads into the encrypted file store, reviews, batches exported, "+
			"sealed and answered by a province receipt, change requests; cheap password hashes — then starts the release "+
			"binary's `huicai serve` on it and measures from outside, over HTTP on loopback, signed in as the leader (and as "+
			"a commissioner for their own lists). Each list is asked %d times, one after the other, after 3 to warm up. The "+
			"load test runs %d workstations for %s, each from its own address and signed in once (%d as the leader, the "+
			"others as commissioners), about one request in ten a write (a commissioner saving a draft application, the "+
			"leader editing a draft batch's contact). No figure is a pass/fail test.",
		at.Format(time.DateOnly), machine(), requests, loadClients, load, loadLeaders), 118))
	for _, sec := range sectionOrder(rows) {
		b.WriteString(sectionTable(sec.title, filter(rows, sec.key), scales, sec.key == "lists"))
	}
	return b.String()
}

// wrap breaks text at spaces into lines of at most width characters, as
// the rest of docs/benchmarks.md is written.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		size := utf8.RuneCountInString(w)
		if n > 0 && n+1+size > width {
			b.WriteString("\n")
			n = 0
		} else if n > 0 {
			b.WriteString(" ")
			n++
		}
		b.WriteString(w)
		n += size
	}
	return b.String() + "\n"
}

// sectionOrder is the sections that have rows, known ones first.
func sectionOrder(rows []Row) []section {
	var out []section
	for _, s := range sections {
		if len(filter(rows, s.key)) > 0 {
			out = append(out, s)
		}
	}
	for _, r := range rows {
		if !slices.ContainsFunc(out, func(s section) bool { return s.key == r.Section }) {
			out = append(out, section{r.Section, r.Section})
		}
	}
	return out
}

// filter is the rows of one section.
func filter(rows []Row, section string) []Row {
	var out []Row
	for _, r := range rows {
		if r.Section == section {
			out = append(out, r)
		}
	}
	return out
}

// sectionTable is one section's table: a row per metric, a column per
// scale (a row of no scale shows its value at each), the growth from the
// smallest scale to the largest when asked, the baseline and the goal —
// said once above the table when every row has the same.
func sectionTable(title string, rows []Row, scales []int, growth bool) string {
	growth = growth && len(scales) > 1
	baseline := slices.ContainsFunc(rows, func(r Row) bool { return r.Baseline != "" })
	goals := !slices.ContainsFunc(rows, func(r Row) bool { return r.Goal != rows[0].Goal })
	var b strings.Builder
	b.WriteString("\n### " + title + "\n\n")
	if goals && rows[0].Goal != "" {
		b.WriteString("Goal: " + rows[0].Goal + ".\n\n")
	}
	head := []string{"metric"}
	for _, n := range scales {
		head = append(head, scaleLabel(n))
	}
	head = appendIf(appendIf(appendIf(head, growth, scaleLabel(scales[len(scales)-1])+"/"+scaleLabel(scales[0])),
		baseline, "baseline"), !goals, "goal")
	b.WriteString(line(head) + line(slices.Repeat([]string{"---"}, len(head))))
	for _, metric := range metrics(rows) {
		cells := []string{metric}
		var picked Row
		for _, n := range scales {
			r, ok := find(rows, metric, n)
			cells = append(cells, cellOf(r, ok))
			if ok {
				picked = r
			}
		}
		cells = appendIf(appendIf(appendIf(cells, growth, growthOf(rows, metric, scales[0], scales[len(scales)-1])),
			baseline, picked.Baseline), !goals, picked.Goal)
		b.WriteString(line(cells))
	}
	return b.String()
}

// appendIf appends cell to cells if ok.
func appendIf(cells []string, ok bool, cell string) []string {
	if ok {
		return append(cells, cell)
	}
	return cells
}

// metrics are the rows' metrics in the order they first come.
func metrics(rows []Row) []string {
	var out []string
	for _, r := range rows {
		if !slices.Contains(out, r.Metric) {
			out = append(out, r.Metric)
		}
	}
	return out
}

// find is metric's row at scale n, or its row of no scale.
func find(rows []Row, metric string, n int) (Row, bool) {
	for _, r := range rows {
		if r.Metric == metric && (r.Scale == n || r.Scale == 0) {
			return r, true
		}
	}
	return Row{}, false
}

// cellOf is a row's value in a table, "—" for none.
func cellOf(r Row, ok bool) string {
	if !ok || r.Value == "" {
		return "—"
	}
	return r.Value
}

// growthOf is how many times metric's first figure grew from scale a to b.
func growthOf(rows []Row, metric string, a, b int) string {
	ra, okA := find(rows, metric, a)
	rb, okB := find(rows, metric, b)
	x, errA := leadingNumber(ra.Value)
	y, errB := leadingNumber(rb.Value)
	if !okA || !okB || errA != nil || errB != nil || x <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f×", y/x)
}

// leadingNumber is the number a value starts with ("2.5 / 7.8 ms" → 2.5).
func leadingNumber(v string) (float64, error) {
	first, _, _ := strings.Cut(v, " ")
	return strconv.ParseFloat(first, 64)
}

// line is a Markdown table line.
func line(cells []string) string {
	for i, c := range cells {
		cells[i] = strings.ReplaceAll(c, "|", `\|`)
	}
	return "| " + strings.Join(cells, " | ") + " |\n"
}

// scaleLabel names a scale: 1k, 10k, 50k.
func scaleLabel(n int) string {
	if n%1000 == 0 {
		return fmt.Sprintf("%dk", n/1000)
	}
	return strconv.Itoa(n)
}

// machine describes the machine: cores, CPU model and memory.
func machine() string {
	out := fmt.Sprintf("%d cores", runtime.NumCPU())
	if model := procField("/proc/cpuinfo", "model name"); model != "" {
		out += ", " + model
	}
	if mem := procField("/proc/meminfo", "MemTotal"); mem != "" {
		kib, _ := strconv.Atoi(strings.TrimSuffix(mem, " kB"))
		out += fmt.Sprintf(", %.0f GB memory", float64(kib)/(1<<20))
	}
	return out
}

// procField is the first value of field in a /proc file, "" if none.
func procField(path, field string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(data), "\n") {
		if name, value, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(name) == field {
			return strings.TrimSpace(value)
		}
	}
	return ""
}
