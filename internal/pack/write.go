package pack

import (
	"archive/zip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"

	"huicai/internal/sign"
)

// Source is one file to put into a package.
type Source struct {
	Path string // path inside the package, with forward slashes
	Open func() (io.ReadCloser, error)
	// Compress deflates the file; already-compressed files (PDF, JPEG,
	// PNG, xlsx) are stored as they are.
	Compress bool
}

// FromFile is a Source reading a file on disk.
func FromFile(path, diskPath string, compress bool) Source {
	return Source{Path: path, Compress: compress, Open: func() (io.ReadCloser, error) { return os.Open(diskPath) }}
}

// FromBytes is a Source holding small generated content.
func FromBytes(path string, data []byte) Source {
	return Source{Path: path, Compress: true, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytesReader(data)), nil
	}}
}

// Spec is everything a package holds besides its files.
type Spec struct {
	Unit      Unit
	Batch     Batch
	Contact   Contact
	Items     []Item
	Data      any // written as data.json
	AuditHead string
	Created   time.Time
}

// Result says what was written.
type Result struct {
	PackageID string
	Path      string
	Size      int64
	SM3       string
}

// Write seals spec and sources into a package at dest. It writes to a
// temporary file beside dest and renames it into place only when complete,
// so a failed or cancelled write leaves nothing. Files are streamed, never
// held whole in memory. progress counts files.
func Write(ctx context.Context, dest string, spec Spec, sources []Source, key *sm2.PrivateKey, progress func(done, total int)) (Result, error) {
	id, err := newID()
	if err != nil {
		return Result{}, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".package-*.partial")
	if err != nil {
		return Result{}, fmt.Errorf("pack: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	hashed := newAsyncHash()
	defer hashed.finish()
	zw := zip.NewWriter(io.MultiWriter(tmp, hashed))
	data, err := json.MarshalIndent(spec.Data, "", "  ")
	if err != nil {
		return Result{}, fmt.Errorf("pack: data: %w", err)
	}
	all := append([]Source{FromBytes(DataName, data)}, sources...)
	entries := make([]FileEntry, 0, len(all))
	for i, s := range all {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		e, err := addFile(zw, s, spec.Created)
		if err != nil {
			return Result{}, err
		}
		entries = append(entries, e)
		progress(i+1, len(all)+1)
	}
	pubPEM, fp, err := sign.PublicPEM(&key.PublicKey)
	if err != nil {
		return Result{}, err
	}
	m := Manifest{Format: FormatName, FormatVersion: FormatVersion, PackageID: id, Unit: spec.Unit, Batch: spec.Batch,
		CreatedAt: spec.Created.UTC().Format(time.RFC3339), Contact: spec.Contact, Items: spec.Items, Files: entries,
		AuditHead: spec.AuditHead, Signer: Signer{Algorithm: "SM2-with-SM3", SignerID: string(sign.DefaultUID), PublicKey: pubPEM, Fingerprint: fp}}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Result{}, fmt.Errorf("pack: manifest: %w", err)
	}
	sig, err := sign.Sign(key, manifest)
	if err != nil {
		return Result{}, fmt.Errorf("pack: sign: %w", err)
	}
	for _, s := range []Source{FromBytes(ManifestName, manifest), {Path: SignatureName, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytesReader(sig)), nil }}} {
		if _, err := addFile(zw, s, spec.Created); err != nil {
			return Result{}, err
		}
	}
	if err := zw.Close(); err != nil {
		return Result{}, fmt.Errorf("pack: close zip: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return Result{}, fmt.Errorf("pack: sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		return Result{}, fmt.Errorf("pack: %w", err)
	}
	progress(len(all)+1, len(all)+1)
	return Result{PackageID: id, Path: dest, Size: hashed.n, SM3: hashed.sum()}, nil
}

func addFile(zw *zip.Writer, s Source, modified time.Time) (FileEntry, error) {
	in, err := s.Open()
	if err != nil {
		return FileEntry{}, fmt.Errorf("pack: open %s: %w", s.Path, err)
	}
	defer in.Close()
	method := zip.Store
	if s.Compress {
		method = zip.Deflate
	}
	hdr := &zip.FileHeader{Name: s.Path, Method: method, Modified: modified}
	hdr.Flags |= 0x800 // names are UTF-8
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return FileEntry{}, fmt.Errorf("pack: add %s: %w", s.Path, err)
	}
	h := sm3.New()
	n, err := io.Copy(io.MultiWriter(w, h), in)
	if err != nil {
		return FileEntry{}, fmt.Errorf("pack: copy %s: %w", s.Path, err)
	}
	return FileEntry{Path: s.Path, Size: n, SM3: hex.EncodeToString(h.Sum(nil))}, nil
}

func newID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

// The package's own SM3 covers every byte written to it, and each file's
// SM3 covers the same bytes again before they are zipped; done one after
// the other on one goroutine, packaging ran at half the speed of hashing.
// asyncHash takes the package's SM3 off the writing goroutine: it hands
// what is written, in chunks, to a goroutine that hashes it while the
// writer goes on hashing and writing the next file's bytes.

// asyncChunk is how much is handed over at once, and asyncChunks how many
// chunks may be in flight: memory stays bounded at their product.
const (
	asyncChunk  = 256 << 10
	asyncChunks = 4
)

// asyncHash is an SM3 hash, and a count, of what is written to it, hashed
// on a goroutine of its own.
type asyncHash struct {
	cur    []byte
	full   chan []byte // chunks waiting to be hashed
	free   chan []byte // chunks hashed, for reuse
	done   chan struct{}
	once   sync.Once
	h      hash.Hash
	n      int64
	summed string
}

func newAsyncHash() *asyncHash {
	a := &asyncHash{full: make(chan []byte, asyncChunks), free: make(chan []byte, asyncChunks),
		done: make(chan struct{}), h: sm3.New()}
	for range asyncChunks {
		a.free <- make([]byte, 0, asyncChunk)
	}
	a.cur = <-a.free
	go func() {
		defer close(a.done)
		for c := range a.full {
			a.h.Write(c)
			a.free <- c[:0]
		}
	}()
	return a
}

// Write copies p into chunks and hands each full chunk over; it never fails.
func (a *asyncHash) Write(p []byte) (int, error) {
	a.n += int64(len(p))
	written := len(p)
	for len(p) > 0 {
		k := copy(a.cur[len(a.cur):cap(a.cur)], p)
		a.cur, p = a.cur[:len(a.cur)+k], p[k:]
		if len(a.cur) == cap(a.cur) {
			a.full <- a.cur
			a.cur = <-a.free
		}
	}
	return written, nil
}

// finish hands over the last chunk and waits for the hashing goroutine to
// end; later calls do nothing.
func (a *asyncHash) finish() {
	a.once.Do(func() {
		a.full <- a.cur
		close(a.full)
		<-a.done
		a.summed = hex.EncodeToString(a.h.Sum(nil))
	})
}

// sum is the hex SM3 of everything written.
func (a *asyncHash) sum() string {
	a.finish()
	return a.summed
}

// SM3Of returns the hex SM3 hash of everything r yields.
func SM3Of(r io.Reader) (string, error) {
	h := sm3.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
