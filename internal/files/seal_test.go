package files

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"testing"
)

// seal seals plain as the store does, bound to its SHA-256.
func seal(t *testing.T, plain []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	s, err := newSealer(&out)
	if err != nil {
		t.Fatal(err)
	}
	s.Write(plain)
	if err := s.Close(nameOf(plain)); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func nameOf(plain []byte) []byte {
	sum := sha256.Sum256(plain)
	return sum[:]
}

// open reads raw as the file named name.
func open(raw, name []byte) ([]byte, error) {
	o, err := newOpener(bufio.NewReader(bytes.NewReader(raw)), name, nil)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(o)
}

// chunk is the i-th sealed chunk of raw (the last one may be shorter).
func chunk(raw []byte, i int) []byte {
	size := chunkSize + 16
	start := headerSize + i*size
	return raw[start:min(start+size, len(raw))]
}

func join(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestSealedChunksCannotBeTamperedWith(t *testing.T) {
	plain := bytes.Repeat([]byte("0123456789abcdef"), 2*chunkSize/16+7) // two full chunks and a short one
	raw, name := seal(t, plain), nameOf(plain)
	if got, err := open(raw, name); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("round trip: %v", err)
	}
	other := seal(t, plain) // the same text sealed again: another salt, another key
	header := raw[:headerSize]
	flipped := bytes.Clone(raw)
	flipped[headerSize+chunkSize+100] ^= 1
	salt := bytes.Clone(raw)
	salt[len(sealMagic)] ^= 1
	for what, bad := range map[string][]byte{
		"a flipped byte":             flipped,
		"a changed salt":             salt,
		"chunks swapped":             join(header, chunk(raw, 1), chunk(raw, 0), chunk(raw, 2)),
		"the final chunk dropped":    join(header, chunk(raw, 0), chunk(raw, 1)),
		"the last byte cut":          raw[:len(raw)-1],
		"a chunk repeated":           join(header, chunk(raw, 0), chunk(raw, 0), chunk(raw, 1), chunk(raw, 2)),
		"the final chunk repeated":   join(raw, chunk(raw, 2)),
		"bytes appended":             join(raw, []byte{0}),
		"a chunk from another file":  join(header, chunk(other, 0), chunk(raw, 1), chunk(raw, 2)),
		"another file's final chunk": join(header, chunk(raw, 0), chunk(raw, 1), chunk(other, 2)),
		"the header alone":           header,
		"the header cut":             raw[:headerSize-1],
	} {
		if _, err := open(bad, name); err == nil {
			t.Errorf("%s: opened", what)
		} else if !errors.Is(err, ErrDamaged) && !errors.Is(err, errNotSealed) {
			t.Errorf("%s: %v", what, err)
		}
	}
}

func TestTheLastWholeChunkIsFinal(t *testing.T) {
	plain := bytes.Repeat([]byte{7}, 2*chunkSize)
	raw := seal(t, plain)
	if got, err := open(raw, nameOf(plain)); err != nil || !bytes.Equal(got, plain) || len(raw) != headerSize+2*(chunkSize+16) {
		t.Fatalf("round trip: %d bytes, %v", len(raw), err)
	}
	if _, err := open(join(raw[:headerSize], chunk(raw, 0)), nameOf(plain)); !errors.Is(err, ErrDamaged) {
		t.Errorf("cut at the last whole chunk: %v", err)
	}
	if got, err := open(seal(t, nil), nameOf(nil)); err != nil || len(got) != 0 {
		t.Errorf("empty: %q %v", got, err)
	}
}

// TestTheFinalChunkIsBoundToTheName: a file opens only as the file it was
// sealed as (its SHA-256, its name in the store), whatever its size; the
// chunks before the last one are released as they prove authentic, the
// last one is not.
func TestTheFinalChunkIsBoundToTheName(t *testing.T) {
	for _, size := range []int{0, 1000, chunkSize, 2*chunkSize + 5} {
		plain := bytes.Repeat([]byte{9}, size)
		raw := seal(t, plain)
		other := nameOf(append(bytes.Clone(plain), 0))
		got, err := open(raw, other)
		if !errors.Is(err, ErrDamaged) || len(got) >= max(size, 1) {
			t.Errorf("%d bytes opened as another file: read %d bytes, %v", size, len(got), err)
		}
		if got, err := open(raw, nameOf(plain)); err != nil || !bytes.Equal(got, plain) {
			t.Errorf("%d bytes as themselves: %v", size, err)
		}
	}
}

// sealV1 seals plain as versions before names were bound did.
func sealV1(t testing.TB, plain []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	s, err := newSealer(&out)
	if err != nil {
		t.Fatal(err)
	}
	copy(s.header, sealMagicV1)
	raw := out.Bytes()
	copy(raw, sealMagicV1)
	s.Write(plain)
	if err := s.Close(nil); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestEarlierSealedFilesStillOpen: a file sealed before names were bound
// opens under any name (Store.Open checks its hash instead, see
// TestEarlierSealedFilesAreCheckedByTheirHash) and is tamper-proof as before.
func TestEarlierSealedFilesStillOpen(t *testing.T) {
	plain := bytes.Repeat([]byte("0123456789abcdef"), chunkSize/16+3)
	raw := sealV1(t, plain)
	for _, name := range [][]byte{nameOf(plain), nameOf(nil)} {
		if got, err := open(raw, name); err != nil || !bytes.Equal(got, plain) {
			t.Errorf("opened as %x: %v", name[:4], err)
		}
	}
	flipped := bytes.Clone(raw)
	flipped[len(flipped)-3] ^= 1
	bound := bytes.Clone(raw)
	copy(bound, sealMagic) // claims to bind its name: its header no longer matches
	for what, bad := range map[string][]byte{"a flipped byte": flipped, "the newer magic": bound} {
		if _, err := open(bad, nameOf(plain)); !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: %v", what, err)
		}
	}
}

// TestEarlierSealedFilesAreCheckedByTheirHash: the store reads a file sealed
// before names were bound, and still catches another such file put under
// its name, by its hash, before the last bytes.
func TestEarlierSealedFilesAreCheckedByTheirHash(t *testing.T) {
	s := NewStore(t.TempDir())
	plain := bytes.Repeat([]byte("%PDF-1.7 欧阳娜娜"), 9000)
	f, err := s.Put(bytes.NewReader(plain), "a.pdf")
	if err != nil {
		t.Fatal(err)
	}
	write := func(raw []byte) {
		if err := os.WriteFile(s.path(f.SHA256), raw, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	read := func() ([]byte, error) {
		in, err := s.Open(f)
		if err != nil {
			return nil, err
		}
		defer in.Close()
		return io.ReadAll(in)
	}
	write(sealV1(t, plain))
	if got, err := read(); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("an earlier sealed file: %v", err)
	}
	other := bytes.Clone(plain)
	other[0] = '#'
	write(sealV1(t, other))
	if got, err := read(); !errors.Is(err, ErrDamaged) || len(got) >= len(plain) {
		t.Errorf("another earlier sealed file under the name: read %d bytes, %v", len(got), err)
	}
}

// BenchmarkOpen reads a stored 1 MiB document, as packaging and downloads
// do: sealed with its name bound, and as sealed before (its hash checked
// as it is read).
func BenchmarkOpen(b *testing.B) {
	s := NewStore(b.TempDir())
	plain := make([]byte, 1<<20)
	f, err := s.Put(bytes.NewReader(append([]byte("%PDF-1.7\n"), plain...)), "a.pdf")
	if err != nil {
		b.Fatal(err)
	}
	bound, _ := os.ReadFile(s.path(f.SHA256))
	earlier := sealV1(b, append([]byte("%PDF-1.7\n"), plain...))
	for name, raw := range map[string][]byte{"bound": bound, "earlier": earlier} {
		b.Run(name, func(b *testing.B) {
			if err := os.WriteFile(s.path(f.SHA256), raw, 0o600); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(f.Size)
			for b.Loop() {
				in, err := s.Open(f)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, in); err != nil {
					b.Fatal(err)
				}
				in.Close()
			}
		})
	}
}
