package pack

import (
	"archive/zip"
	"bufio"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
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
	// SM3, when known, is the SM3 of the bytes Open reads (recorded when
	// the file was stored, and Open checks the bytes are those): the
	// manifest takes it instead of hashing the file again.
	SM3 string
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
//
// Each byte is hashed once per purpose, the purposes side by side: one
// goroutine reads (and decrypts) the sources ahead, the calling one zips,
// one hashes each file for its manifest entry, one writes the package to
// the file and one hashes it (see pipeline.go).
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
	file := newSyncer(tmp)
	defer file.stop()
	out := newSpool(file)
	// On every way out its goroutines end before file.stop (a failure is
	// already on its way out, or returned by the finish below).
	defer func() { _ = out.finish() }()
	zw := zip.NewWriter(out)
	all := append([]Source{jsonSource(DataName, spec.Data)}, sources...)
	entries, err := zipAll(ctx, zw, all, spec.Created, func(done int) { progress(done, len(all)+1) })
	if err != nil {
		return Result{}, err
	}
	if err := sealManifest(zw, spec, id, entries, key); err != nil {
		return Result{}, err
	}
	closed := zw.Close()
	if err := out.finish(); err != nil {
		return Result{}, fmt.Errorf("pack: write: %w", err)
	}
	if closed != nil {
		return Result{}, fmt.Errorf("pack: close zip: %w", closed)
	}
	if err := file.sync(); err != nil {
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
	return Result{PackageID: id, Path: dest, Size: out.n, SM3: out.sum()}, nil
}

// sealManifest adds the manifest of entries and its signature. The
// manifest is written, and hashed for its signature, as it is made: with
// tens of thousands of files it is megabytes, never held whole.
func sealManifest(zw *zip.Writer, spec Spec, id string, entries []FileEntry, key *sm2.PrivateKey) error {
	pubPEM, fp, err := sign.PublicPEM(&key.PublicKey)
	if err != nil {
		return err
	}
	m := Manifest{Format: FormatName, FormatVersion: FormatVersion, PackageID: id, Unit: spec.Unit, Batch: spec.Batch,
		CreatedAt: spec.Created.UTC().Format(time.RFC3339), Contact: spec.Contact, Items: spec.Items, Files: entries,
		AuditHead: spec.AuditHead, Signer: Signer{Algorithm: "SM2-with-SM3", SignerID: string(sign.DefaultUID), PublicKey: pubPEM, Fingerprint: fp}}
	digest, err := sign.NewDigest(&key.PublicKey)
	if err != nil {
		return err
	}
	w, err := createEntry(zw, ManifestName, true, spec.Created)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(io.MultiWriter(w, digest), 64<<10)
	err = writeIndented(bw, reflect.ValueOf(m), "")
	if err = cmp.Or(err, bw.Flush()); err != nil {
		return fmt.Errorf("pack: add %s: %w", ManifestName, err)
	}
	sig, err := sign.SignDigest(key, digest.Sum(nil))
	if err != nil {
		return fmt.Errorf("pack: sign: %w", err)
	}
	if w, err = createEntry(zw, SignatureName, true, spec.Created); err != nil {
		return err
	}
	if _, err := w.Write(sig); err != nil {
		return fmt.Errorf("pack: add %s: %w", SignatureName, err)
	}
	return nil
}

// createEntry starts a zip entry with a UTF-8 name.
func createEntry(zw *zip.Writer, name string, compress bool, modified time.Time) (io.Writer, error) {
	method := zip.Store
	if compress {
		method = zip.Deflate
	}
	hdr := &zip.FileHeader{Name: name, Method: method, Modified: modified}
	hdr.Flags |= 0x800 // names are UTF-8
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return nil, fmt.Errorf("pack: add %s: %w", name, err)
	}
	return w, nil
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

// SM3Of returns the hex SM3 hash of everything r yields.
func SM3Of(r io.Reader) (string, error) {
	h := sm3.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
