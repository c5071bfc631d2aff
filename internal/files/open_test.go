package files_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"testing"

	"huicai/internal/files"
)

// TestDamagedFilesAreNeverReadWhole: Open checks in one pass as it reads,
// so a file that is not the one recorded is found only at its end; the
// last bytes are held back until then, and the reader ends with
// ErrDamaged, having given fewer bytes than the file has, never io.EOF.
func TestDamagedFilesAreNeverReadWhole(t *testing.T) {
	dir := t.TempDir()
	s := files.NewStore(dir)
	for _, size := range []int{1000, 64 << 10, 64<<10 + 1, 300 << 10} {
		a, b := randomPDF(size), randomPDF(size)
		fa, _ := s.Put(bytes.NewReader(a), "a.pdf")
		fb, _ := s.Put(bytes.NewReader(b), "b.pdf")
		// b's sealed bytes under a's name: every chunk authentic, the size
		// right, only the hash at the end tells.
		moved, _ := os.ReadFile(diskPath(dir, fb))
		os.WriteFile(diskPath(dir, fa), moved, 0o600)
		got, err := readAll(s, fa)
		if !errors.Is(err, files.ErrDamaged) || len(got) >= size {
			t.Errorf("%d bytes, another file of the same size under the name: read %d bytes, %v", size, len(got), err)
		}
		// A byte changed in the last chunk.
		raw := bytes.Clone(moved)
		os.WriteFile(diskPath(dir, fb), flipLast(raw), 0o600)
		got, err = readAll(s, fb)
		if !errors.Is(err, files.ErrDamaged) || len(got) >= size {
			t.Errorf("%d bytes, a byte changed: read %d bytes, %v", size, len(got), err)
		}
	}
}

// TestFilesAreReadInOnePass: the reader gives every byte, in order, in
// reads of any size, and ends with io.EOF.
func TestFilesAreReadInOnePass(t *testing.T) {
	s := files.NewStore(t.TempDir())
	data := randomPDF(200<<10 + 7)
	f, _ := s.Put(bytes.NewReader(data), "a.pdf")
	for _, step := range []int{1, 1000, 64 << 10, 1 << 20} {
		in, err := s.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		var got []byte
		buf := make([]byte, step)
		for {
			n, err := in.Read(buf)
			got = append(got, buf[:n]...)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("reads of %d: %v", step, err)
			}
		}
		in.Close()
		if !bytes.Equal(got, data) {
			t.Errorf("reads of %d: %d bytes, not the file", step, len(got))
		}
	}
}

func randomPDF(size int) []byte {
	b := make([]byte, size)
	rand.Read(b)
	copy(b, pdf)
	return b
}

func flipLast(b []byte) []byte {
	b[len(b)-20] ^= 1
	return b
}

// TestReadersReuseBuffersSafely: a closed reader's buffers go to the next
// one opened, so a closed reader reads nothing more, and readers open at
// once each read their own file.
func TestReadersReuseBuffersSafely(t *testing.T) {
	s := files.NewStore(t.TempDir())
	a, b := randomPDF(150<<10), randomPDF(90<<10)
	fa, _ := s.Put(bytes.NewReader(a), "a.pdf")
	fb, _ := s.Put(bytes.NewReader(b), "b.pdf")
	for range 3 {
		ra, _ := s.Open(fa)
		rb, _ := s.Open(fb)
		gotA, errA := io.ReadAll(ra)
		gotB, errB := io.ReadAll(rb)
		if errA != nil || errB != nil || !bytes.Equal(gotA, a) || !bytes.Equal(gotB, b) {
			t.Fatalf("two readers at once: %v %v", errA, errB)
		}
		ra.Close()
		if n, err := ra.Read(make([]byte, 10)); n != 0 || !errors.Is(err, os.ErrClosed) {
			t.Errorf("a closed reader read %d: %v", n, err)
		}
		rb.Close()
	}
}
