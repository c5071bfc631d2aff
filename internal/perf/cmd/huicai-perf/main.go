// Command huicai-perf is the performance suite's driver, for developers
// (never part of a release): it seeds large installations and measures
// "huicai serve" on them from outside. scripts/perf.sh runs it.
//
//	huicai-perf seed -dir DIR -talents N
//	huicai-perf measure -bin build/bin/huicai -dir DIR -talents N -out FILE
//	huicai-perf run -bin build/bin/huicai -scales 1000,10000,50000 -out FILE
//
// measure and run write the "## Scale" section of docs/benchmarks.md to
// FILE, and exit with 1 when anything failed (a seeding error, an answer
// other than 2xx), never because a figure is slow.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"huicai/internal/perf"
)

const usage = `usage:
  huicai-perf seed -dir DIR -talents N
  huicai-perf measure -bin BIN -dir DIR -talents N -out FILE [-requests 200] [-load 30s]
  huicai-perf run -bin BIN -scales 1000,10000,50000 -out FILE [-requests 200] [-load 30s] [-tmp DIR] [-keep]
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "huicai-perf: ", log.Ltime)
	if err := run(ctx, os.Args[1:], logger); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			logger.Print(err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, logger *log.Logger) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "seed":
		return seed(ctx, args[1:], logger)
	case "measure":
		return measure(ctx, args[1:], logger)
	case "run":
		return runScales(ctx, args[1:], logger)
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// measureFlags are the flags measure and run share.
type measureFlags struct {
	opt perf.MeasureOptions
	out string
}

func (m *measureFlags) register(fl *flag.FlagSet) {
	fl.StringVar(&m.opt.Bin, "bin", "build/bin/huicai", "the huicai binary to measure")
	fl.StringVar(&m.out, "out", "", "the Markdown file to write")
	fl.IntVar(&m.opt.Requests, "requests", 200, "requests per list")
	fl.DurationVar(&m.opt.Load, "load", 30*time.Second, "how long the load test runs")
	fl.IntVar(&m.opt.ColdStarts, "starts", 3, "cold starts to take the median of")
	fl.BoolVar(&m.opt.PapersOnly, "papers-only", false, "measure only exports, packaging and backup")
	fl.BoolVar(&m.opt.ListsOnly, "lists-only", false, "measure only the start-ups and the lists")
}

func seed(ctx context.Context, args []string, logger *log.Logger) error {
	fl := flag.NewFlagSet("seed", flag.ContinueOnError)
	opt := perf.SeedOptions{Log: logger}
	fl.StringVar(&opt.DataDir, "dir", "", "the data folder to make (empty or missing)")
	fl.IntVar(&opt.Talents, "talents", 1000, "how many talents")
	fl.IntVar(&opt.Workers, "workers", 0, "items worked on at once (0: two a core)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if opt.DataDir == "" {
		return errors.New("seed: -dir is required")
	}
	if _, err := perf.Seed(ctx, opt); err != nil {
		return err
	}
	logger.Printf("sign in to it as %s or %s… (commissioners), password %s", perf.LeaderUsername,
		perf.CommissionerUsername(0), perf.Password)
	return nil
}

func measure(ctx context.Context, args []string, logger *log.Logger) error {
	fl := flag.NewFlagSet("measure", flag.ContinueOnError)
	m := measureFlags{opt: perf.MeasureOptions{Log: logger}}
	m.register(fl)
	fl.StringVar(&m.opt.DataDir, "dir", "", "a seeded data folder")
	fl.IntVar(&m.opt.Talents, "talents", 0, "how many talents it was seeded with")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if m.opt.DataDir == "" || m.opt.Talents == 0 || m.out == "" {
		return errors.New("measure: -dir, -talents and -out are required")
	}
	rows, err := perf.Measure(ctx, m.opt)
	return errors.Join(err, write(m, rows, []int{m.opt.Talents}))
}

func runScales(ctx context.Context, args []string, logger *log.Logger) error {
	fl := flag.NewFlagSet("run", flag.ContinueOnError)
	m := measureFlags{opt: perf.MeasureOptions{Log: logger}}
	m.register(fl)
	opt := perf.RunOptions{}
	scales := fl.String("scales", "1000,10000,50000", "numbers of talents, comma separated")
	fl.StringVar(&opt.TempDir, "tmp", "", "where the seeded folders go")
	fl.BoolVar(&opt.Keep, "keep", false, "keep the seeded folders")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if m.out == "" {
		return errors.New("run: -out is required")
	}
	var err error
	if opt.Scales, err = parseScales(*scales); err != nil {
		return err
	}
	opt.Measure = m.opt
	rows, err := perf.Run(ctx, opt)
	return errors.Join(err, write(m, rows, opt.Scales))
}

// parseScales reads "1000,10000,50000".
func parseScales(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 100 {
			return nil, fmt.Errorf("-scales: %q is not a number of talents (100 or more)", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// write writes the rows measured so far as the "## Scale" section.
func write(m measureFlags, rows []perf.Row, scales []int) error {
	if len(rows) == 0 {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(m.out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(m.out, []byte(perf.Markdown(rows, scales, m.opt.Requests, m.opt.Load, time.Now())), 0o644)
}
