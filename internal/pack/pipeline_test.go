package pack

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand"
	"syscall"
	"testing"

	"github.com/emmansun/gmsm/sm3"
)

// TestTheSpoolWritesAndHashesEveryByte: whatever the sizes of the writes
// (across pieces, a piece exactly, none at all), the file gets every byte
// in order, and the sum and count are theirs.
func TestTheSpoolWritesAndHashesEveryByte(t *testing.T) {
	rnd := rand.New(rand.NewSource(5))
	for _, sizes := range [][]int{nil, {0}, {1}, {spoolPiece}, {spoolPiece - 1, 2}, {3 * spoolPiece, 17, spoolPiece + 5},
		{100, 4096, 7 * spoolPiece, 1}} {
		var file, want bytes.Buffer
		s := newSpool(&file)
		for _, n := range sizes {
			p := make([]byte, n)
			rnd.Read(p)
			want.Write(p)
			if k, err := s.Write(p); k != n || err != nil {
				t.Fatalf("%v: wrote %d of %d: %v", sizes, k, n, err)
			}
		}
		if err := s.finish(); err != nil {
			t.Fatal(err)
		}
		sum := sm3.Sum(want.Bytes())
		if !bytes.Equal(file.Bytes(), want.Bytes()) || s.sum() != hex.EncodeToString(sum[:]) || s.n != int64(want.Len()) {
			t.Errorf("%v: %d bytes in the file, count %d, of %d", sizes, file.Len(), s.n, want.Len())
		}
	}
}

// failingFile takes room bytes, then fails as a full disk does.
type failingFile struct{ room int }

func (f *failingFile) Write(p []byte) (int, error) {
	if len(p) > f.room {
		n := f.room
		f.room = 0
		return n, syscall.ENOSPC
	}
	f.room -= len(p)
	return len(p), nil
}

// TestTheSpoolReportsAFailedWrite: once the file fails (a full disk),
// later writes fail with its error and finish reports it, so the package
// fails as the disk did; nothing waits forever.
func TestTheSpoolReportsAFailedWrite(t *testing.T) {
	s := newSpool(&failingFile{room: spoolPiece + 10})
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		_, err = s.Write(make([]byte, spoolPiece/3))
	}
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("writes after the failure: %v", err)
	}
	if err := s.finish(); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("finish: %v", err)
	}
	if err := s.finish(); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("finish again: %v", err)
	}
	if _, err := s.Write([]byte{1}); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("a write after finish: %v", err)
	}
}
