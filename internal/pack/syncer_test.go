package pack

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// writeLikeTheSpool writes to s what a spool hands on — full pieces of
// aligned blocks, then a short last piece — and one piece not aligned in
// memory among them, returning all the bytes written.
func writeLikeTheSpool(t *testing.T, s *syncer) []byte {
	t.Helper()
	var all []byte
	misaligned := make([]byte, 2*directBlock+1)[1:]
	for _, p := range [][]byte{alignedBuffer(spoolPiece)[:spoolPiece], alignedBuffer(directBlock)[:directBlock], misaligned,
		alignedBuffer(spoolPiece)[:spoolPiece], alignedBuffer(directBlock)[:100]} {
		rand.Read(p)
		if n, err := s.Write(p); err != nil || n != len(p) {
			t.Fatalf("write %d bytes: %d, %v", len(p), n, err)
		}
		all = append(all, p...)
	}
	if err := s.sync(); err != nil {
		t.Fatal(err)
	}
	return all
}

// TestDirectAndCachedWritesMakeOneFile: pieces written directly (where the
// system allows it) and through the cache land in order, and a file whose
// direct writes fail gets them through the cache: each file holds exactly
// the bytes written.
func TestDirectAndCachedWritesMakeOneFile(t *testing.T) {
	for _, refused := range []bool{false, true} {
		f, err := os.Create(filepath.Join(t.TempDir(), "package.zip"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		s := newSyncer(f)
		if runtime.GOOS == "linux" && s.direct == nil {
			t.Log("this file system takes no direct writes: only the cache is tried")
		}
		if refused {
			if s.direct != nil {
				s.direct.Close()
			}
			if s.direct, err = os.Open(f.Name()); err != nil { // read only: every write fails
				t.Fatal(err)
			}
		}
		written := writeLikeTheSpool(t, s)
		if got, err := os.ReadFile(f.Name()); err != nil || !bytes.Equal(got, written) {
			t.Errorf("refused %v: the file holds %d bytes unlike the %d written (%v)", refused, len(got), len(written), err)
		}
		if refused && s.direct != nil {
			t.Error("direct writes still tried after one failed")
		}
	}
}

// TestAlignedBuffers: the spool's pieces start on a block boundary, and
// only whole aligned blocks count as aligned.
func TestAlignedBuffers(t *testing.T) {
	for range 20 {
		b := alignedBuffer(spoolPiece)
		if len(b) != 0 || cap(b) != spoolPiece || !aligned(b[:directBlock]) {
			t.Fatalf("buffer of %d/%d bytes, aligned %v", len(b), cap(b), aligned(b[:directBlock]))
		}
		if aligned(b[:directBlock-1]) || aligned(b[1:directBlock+1]) || aligned(b[:0]) {
			t.Fatal("a part block, a misaligned block or nothing counts as aligned")
		}
	}
}
