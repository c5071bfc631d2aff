package perf

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/emmansun/gmsm/sm2"

	"huicai/app"
	"huicai/internal/account"
	"huicai/internal/batch"
	"huicai/internal/files"
	"huicai/internal/store"
)

// SeedOptions say what to seed where.
type SeedOptions struct {
	// DataDir is the data folder to make; it must be empty or missing.
	DataDir string
	Talents int
	// Log receives progress lines; nil discards them.
	Log *log.Logger
	// Workers is how many items are worked on at once (default: two a
	// core, so that one's disk writes overlap another's work).
	Workers int
}

// Seeded is what a seed made: its plan, the rows of the audit log, the
// documents in the file store (count and bytes) and how long it took.
type Seeded struct {
	Plan      Plan
	AuditRows int
	Files     int
	FileBytes int64
	Elapsed   time.Duration
}

// client is the address the seeded actions are audited from.
const client = "192.168.1.10"

// seeder carries a seed's state from step to step.
type seeder struct {
	ctx     context.Context
	db      *store.DB
	files   *files.Store
	batches *batch.Service
	plan    Plan
	log     *log.Logger
	workers int

	leader        account.User
	departments   []int64
	commissioners []account.User
	talents       []seededTalent
	province      *sm2.PrivateKey
	provincePEM   []byte
}

// seededTalent is a registered talent and their application as last seen.
type seededTalent struct {
	id, app int64
	version int
	// card says the talent holds a card (issued, or recorded as existing).
	card bool
}

// Seed builds an installation of opt.Talents talents in opt.DataDir through
// the program's own functions — first-run setup, registrations, reviews,
// uploads into the encrypted file store, batches exported, sealed and
// answered by a province receipt, change requests — so that what it makes
// is what years of use would leave, and "huicai serve --data" opens it.
// Passwords use the cheap SeedHash.
func Seed(ctx context.Context, opt SeedOptions) (Seeded, error) {
	start := time.Now()
	if opt.Talents < 100 {
		return Seeded{}, errors.New("perf: seed at least 100 talents")
	}
	if err := mustBeEmpty(opt.DataDir); err != nil {
		return Seeded{}, err
	}
	db, err := app.OpenData(ctx, opt.DataDir)
	if err != nil {
		return Seeded{}, err
	}
	defer db.Close()
	docs := files.NewStore(opt.DataDir)
	s := &seeder{ctx: ctx, db: db, files: docs, plan: NewPlan(opt.Talents), log: opt.Log,
		workers: opt.Workers, batches: &batch.Service{DB: db, Files: docs, PackagesDir: filepath.Join(opt.DataDir, "packages")}}
	if s.workers <= 0 {
		s.workers = 2 * runtime.NumCPU()
	}
	if err := s.run(); err != nil {
		return Seeded{}, err
	}
	out := Seeded{Plan: s.plan}
	if out.AuditRows, err = finish(ctx, db, opt.DataDir); err != nil {
		return out, err
	}
	// The program's first start marks the document store as all sealed;
	// an installation in use has long had the mark.
	if _, err := docs.SealLegacy(ctx); err != nil {
		return out, err
	}
	out.Files, out.FileBytes, err = folderSize(filepath.Join(opt.DataDir, "files"))
	out.Elapsed = time.Since(start)
	s.logf("seeded %d talents in %s: %d audit rows, %d files (%d MB)", opt.Talents, out.Elapsed.Round(time.Second),
		out.AuditRows, out.Files, out.FileBytes>>20)
	return out, err
}

// run takes the seed's steps in the order a unit's history has them.
func (s *seeder) run() error {
	if err := fastWrites(s.ctx, s.db); err != nil {
		return err
	}
	for _, step := range []func() error{s.firstRun, s.addDepartments, s.addProvinceKey, s.addStaff, s.registerTalents,
		s.bindTalents, s.prepareApplications, s.batchApplications, s.recordExistingCards, s.reportChanges, s.addLogins} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// logf logs a progress line.
func (s *seeder) logf(format string, args ...any) {
	if s.log != nil {
		s.log.Printf(format, args...)
	}
}

// mustBeEmpty refuses a data folder that holds anything.
func mustBeEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("perf: %s is not empty: seed into a new folder", dir)
	}
	return nil
}

// folderSize counts the files under dir and their bytes.
func folderSize(dir string) (n int, size int64, err error) {
	err = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		n, size = n+1, size+info.Size()
		return nil
	})
	return n, size, err
}
