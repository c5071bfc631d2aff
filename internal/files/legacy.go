package files

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
)

var storedName = regexp.MustCompile(`^[0-9a-f]{64}$`)

// SealLegacy seals in place the files an older version stored in the
// clear, and removes the clear leftovers of interrupted work in the
// temporary folder; it also makes the store's folders private (0700). It
// can run at every start: sealed files are left alone. Each file is
// replaced atomically (sealed into a temporary file, synced, renamed over
// it), so a crash at any point leaves every file readable, in the clear or
// sealed. A clear file that no longer matches its name is left as it is
// (reading it reports it damaged). It returns how many files it sealed.
//
// A pass that went through every file leaves a mark (allSealedMark), and
// later starts skip the walk: this version seals every file from its first
// write, so only a restore can bring clear files back — and a restore
// replaces the whole folder with a backup's, which never holds the mark
// (backups leave out dot-files). Opening 90,000 files at every start took
// longer than the rest of the start-up together.
func (s *Store) SealLegacy(ctx context.Context) (int, error) {
	mark := filepath.Join(s.dir, allSealedMark)
	if _, err := os.Stat(mark); err == nil {
		return 0, s.removeClearTemps()
	}
	sealed := 0
	err := filepath.WalkDir(s.dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil
		case err != nil:
			return err
		case ctx.Err() != nil:
			return ctx.Err()
		case d.IsDir() && p == filepath.Join(s.dir, "tmp"):
			return filepath.SkipDir
		case d.IsDir():
			return os.Chmod(p, 0o700)
		case !d.Type().IsRegular() || !storedName.MatchString(d.Name()):
			return nil
		}
		done, err := s.sealInPlace(p, d.Name())
		if done {
			sealed++
		}
		return err
	})
	if err != nil {
		return sealed, fmt.Errorf("files: seal stored files: %w", err)
	}
	if err := os.WriteFile(mark, nil, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return sealed, fmt.Errorf("files: mark the store sealed: %w", err)
	}
	return sealed, s.removeClearTemps()
}

// allSealedMark, in the store's folder, says every stored file is sealed.
const allSealedMark = ".all-sealed"

// sealInPlace seals the file at p if it is in the clear and its bytes
// still hash to its name sum.
func (s *Store) sealInPlace(p, sum string) (bool, error) {
	in, err := os.Open(p)
	if err != nil {
		return false, err
	}
	defer in.Close()
	br := bufio.NewReader(in)
	if isSealed(br) {
		return false, nil
	}
	pending, err := s.Create()
	if err != nil {
		return false, err
	}
	defer pending.Discard()
	if _, err := io.Copy(pending, br); err != nil {
		return false, err
	}
	if hex.EncodeToString(pending.hash.Sum(nil)) != sum {
		return false, nil
	}
	_, err = pending.Keep("", "")
	return err == nil, err
}

// removeClearTemps deletes what interrupted work of older versions left
// in the clear in the temporary folder. Work under way in this version is
// sealed from its first write, so an empty or sealed file is kept.
func (s *Store) removeClearTemps() error {
	return filepath.WalkDir(filepath.Join(s.dir, "tmp"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil //nolint:nilerr // an unreadable entry is left for the next start, not an error of the open
		}
		in, err := os.Open(p)
		if err != nil {
			return nil //nolint:nilerr // likewise
		}
		sealed := isSealed(bufio.NewReader(in))
		st, statErr := in.Stat()
		in.Close()
		if !sealed && statErr == nil && st.Size() > 0 {
			return os.Remove(p)
		}
		return nil
	})
}
