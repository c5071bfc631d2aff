package files

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"os"
	"path/filepath"

	"github.com/emmansun/gmsm/sm3"
)

// Pending is a document being written into the store: its bytes are
// sealed into a temporary file (readable by this user only) as they come,
// and take their place in the store only on Keep. Nothing is ever written
// to the data folder in the clear.
type Pending struct {
	store *Store
	tmp   *os.File
	seal  *sealer
	hash  hash.Hash
	sm3   hash.Hash
	head  headBuffer
	size  int64
	kept  bool
}

// Create starts a document. Call Discard when done (after Keep it does
// nothing), so that an abandoned one leaves no temporary file.
func (s *Store) Create() (*Pending, error) {
	tmp, err := os.CreateTemp(s.TempDir(), "upload-*")
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	seal, err := newSealer(tmp)
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("files: %w", err)
	}
	return &Pending{store: s, tmp: tmp, seal: seal, hash: sha256.New(), sm3: sm3.New(), head: headBuffer{max: 16}}, nil
}

// Write adds plain bytes to the document.
func (p *Pending) Write(b []byte) (int, error) {
	n, err := p.seal.Write(b)
	p.hash.Write(b[:n])
	p.sm3.Write(b[:n])
	_, _ = p.head.Write(b[:n]) // never fails: it keeps the first bytes only
	p.size += int64(n)
	return n, err
}

// Keep seals the last bytes and moves the document into the store under
// the SHA-256 of its plain bytes, synced, returning its hash, size, type
// and display name (for Record).
func (p *Pending) Keep(name, typ string) (File, error) {
	f, err := p.keep(name, typ, true)
	if err != nil {
		return File{}, err
	}
	return f, syncDir(filepath.Dir(p.store.path(f.SHA256)))
}

// KeepIn is Keep without waiting for the syncs: the document is in place,
// and g syncs it in the background; it is on disk once g.Sync returns,
// which must be before any row names it.
func (p *Pending) KeepIn(g *Group, name, typ string) (File, error) {
	f, err := p.keep(name, typ, false)
	if err != nil {
		return File{}, err
	}
	g.add(p.store.path(f.SHA256))
	return f, nil
}

func (p *Pending) keep(name, typ string, sync bool) (File, error) {
	sum := p.hash.Sum(nil)
	if err := p.seal.Close(sum); err != nil {
		return File{}, fmt.Errorf("files: write: %w", err)
	}
	if sync {
		if err := p.tmp.Sync(); err != nil {
			return File{}, fmt.Errorf("files: sync: %w", err)
		}
	}
	if err := p.tmp.Close(); err != nil {
		return File{}, fmt.Errorf("files: close: %w", err)
	}
	f := File{SHA256: hex.EncodeToString(sum), SM3: hex.EncodeToString(p.sm3.Sum(nil)), Size: p.size, Type: typ,
		Name: cleanName(name, typ)}
	final := p.store.path(f.SHA256)
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return File{}, fmt.Errorf("files: %w", err)
	}
	if err := os.Rename(p.tmp.Name(), final); err != nil {
		return File{}, fmt.Errorf("files: store: %w", err)
	}
	p.kept = true
	return f, nil
}

// Discard removes the temporary file of a document not kept.
func (p *Pending) Discard() {
	if !p.kept {
		p.tmp.Close()
		os.Remove(p.tmp.Name())
	}
}
