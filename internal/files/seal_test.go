package files

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"testing"
)

func seal(t *testing.T, plain []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	s, err := newSealer(&out)
	if err != nil {
		t.Fatal(err)
	}
	s.Write(plain)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func open(raw []byte) ([]byte, error) {
	o, err := newOpener(bufio.NewReader(bytes.NewReader(raw)), nil)
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
	raw := seal(t, plain)
	if got, err := open(raw); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("round trip: %v", err)
	}
	other := seal(t, plain) // the same text sealed again: another salt, another key
	header := raw[:headerSize]
	flipped := bytes.Clone(raw)
	flipped[headerSize+chunkSize+100] ^= 1
	salt := bytes.Clone(raw)
	salt[len(sealMagic)] ^= 1
	for name, bad := range map[string][]byte{
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
		if _, err := open(bad); err == nil {
			t.Errorf("%s: opened", name)
		} else if !errors.Is(err, ErrDamaged) && !errors.Is(err, errNotSealed) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestTheLastWholeChunkIsFinal(t *testing.T) {
	plain := bytes.Repeat([]byte{7}, 2*chunkSize)
	raw := seal(t, plain)
	if got, err := open(raw); err != nil || !bytes.Equal(got, plain) || len(raw) != headerSize+2*(chunkSize+16) {
		t.Fatalf("round trip: %d bytes, %v", len(raw), err)
	}
	if _, err := open(join(raw[:headerSize], chunk(raw, 0))); !errors.Is(err, ErrDamaged) {
		t.Errorf("cut at the last whole chunk: %v", err)
	}
	if got, err := open(seal(t, nil)); err != nil || len(got) != 0 {
		t.Errorf("empty: %q %v", got, err)
	}
}
