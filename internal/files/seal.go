package files

import (
	"bufio"
	"bytes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"huicai/internal/vault"
)

// Stored documents are sealed with the data key (see vault.FileCipher) in
// a streamed, chunked format, so no file is ever held whole in memory:
//
//	header  magic (8 bytes) ‖ salt (24 random bytes)
//	chunks  AES-256-GCM of each 64 KiB of the plain text (the last one
//	        shorter, possibly empty), each with its 16-byte tag
//
// The key is derived from the salt, so every file has its own; each chunk
// is sealed with the header as additional data and a nonce made of its
// index and a final-chunk flag. A changed byte, chunks swapped, reordered
// or taken from another file, a file cut at a chunk boundary or with data
// appended all fail to open. The plain text's SHA-256 names the file, and
// the final chunk is sealed with it too (after the header, as additional
// data), so one whole sealed file moved under another's name fails to open
// as well: reading a file proves it is the one recorded without hashing it
// again. Files sealed before that (sealMagicV1) bind no name: their plain
// text's SHA-256 is checked as they are read (see Store.Open).
const (
	sealMagic   = "HCFILE\x00\x02"
	sealMagicV1 = "HCFILE\x00\x01"
	headerSize  = len(sealMagic) + vault.FileSaltSize
	chunkSize   = 64 << 10
)

// errNotSealed means a file does not start with the sealed header: it was
// stored in the clear by an older version.
var errNotSealed = errors.New("files: not sealed")

// isSealed reports whether br starts with a sealed header, of either
// version, reading nothing from it.
func isSealed(br *bufio.Reader) bool {
	magic, err := br.Peek(len(sealMagic))
	return err == nil && (bytes.Equal(magic, []byte(sealMagic)) || bytes.Equal(magic, []byte(sealMagicV1)))
}

// chunkNonce binds a chunk to its place in the file.
func chunkNonce(index uint64, final bool) []byte {
	nonce := make([]byte, 12)
	binary.BigEndian.PutUint64(nonce, index)
	if final {
		nonce[11] = 1
	}
	return nonce
}

// sealer encrypts what is written to it into w, one chunk at a time.
type sealer struct {
	w      io.Writer
	aead   cipher.AEAD
	header []byte
	buf    []byte
	out    []byte
	index  uint64
}

// newSealer writes a fresh header to w.
func newSealer(w io.Writer) (*sealer, error) {
	header := make([]byte, headerSize)
	copy(header, sealMagic)
	if _, err := rand.Read(header[len(sealMagic):]); err != nil {
		return nil, err
	}
	aead, err := vault.FileCipher(header[len(sealMagic):])
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(header); err != nil {
		return nil, err
	}
	return &sealer{w: w, aead: aead, header: header, buf: make([]byte, 0, chunkSize)}, nil
}

// Write buffers p, sealing each full chunk once more bytes follow it (the
// last chunk is sealed by Close, marked final).
func (s *sealer) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		if len(s.buf) == chunkSize {
			if err := s.flush(false); err != nil {
				return written, err
			}
		}
		n := copy(s.buf[len(s.buf):chunkSize], p)
		s.buf = s.buf[:len(s.buf)+n]
		p = p[n:]
		written += n
	}
	return written, nil
}

// Close seals the final chunk, bound to name: the SHA-256 of everything
// written, which names the file.
func (s *sealer) Close(name []byte) error {
	s.header = append(s.header, name...)
	return s.flush(true)
}

func (s *sealer) flush(final bool) error {
	s.out = s.aead.Seal(s.out[:0], chunkNonce(s.index, final), s.buf, s.header)
	s.buf = s.buf[:0]
	s.index++
	_, err := s.w.Write(s.out)
	return err
}

// opener decrypts a sealed file as it is read.
type opener struct {
	r      *bufio.Reader
	aead   cipher.AEAD
	header []byte
	// final is the additional data of the final chunk: the header, and
	// the name the file must have unless it was sealed before names were
	// bound (then bound is false).
	final []byte
	bound bool
	in    []byte
	plain []byte
	index uint64
	done  bool
}

// newOpener reads r's header; errNotSealed means r is a file stored in the
// clear, whose bytes br still holds from the start. name is the SHA-256 the
// file must have (its name in the store), in, if not nil, the room for a
// sealed chunk (chunkSize and the tag), to reuse.
func newOpener(br *bufio.Reader, name, in []byte) (*opener, error) {
	if !isSealed(br) {
		return nil, errNotSealed
	}
	header := make([]byte, headerSize, headerSize+len(name))
	if _, err := io.ReadFull(br, header); err != nil {
		return nil, ErrDamaged
	}
	aead, err := vault.FileCipher(header[len(sealMagic):])
	if err != nil {
		return nil, err
	}
	if cap(in) < chunkSize+aead.Overhead() {
		in = make([]byte, chunkSize+aead.Overhead())
	}
	o := &opener{r: br, aead: aead, header: header, final: header, in: in[:chunkSize+aead.Overhead()]}
	if string(header[:len(sealMagic)]) == sealMagic {
		o.final, o.bound = append(header, name...), true
	}
	return o, nil
}

// Read returns decrypted bytes; a chunk is released only once it is
// proved authentic.
func (o *opener) Read(p []byte) (int, error) {
	for len(o.plain) == 0 {
		if o.done {
			return 0, io.EOF
		}
		if err := o.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, o.plain)
	o.plain = o.plain[n:]
	return n, nil
}

// next reads and opens one chunk; the chunk is the final one when nothing
// follows it.
func (o *opener) next() error {
	n, err := io.ReadFull(o.r, o.in)
	final := errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
	if err != nil && !final {
		return fmt.Errorf("files: read: %w", err)
	}
	if !final {
		if _, err := o.r.Peek(1); errors.Is(err, io.EOF) {
			final = true
		} else if err != nil {
			return fmt.Errorf("files: read: %w", err)
		}
	}
	data := o.header
	if final {
		data = o.final
	}
	plain, err := o.aead.Open(o.in[:0], chunkNonce(o.index, final), o.in[:n], data)
	if err != nil {
		return ErrDamaged
	}
	o.plain, o.done = plain, final
	o.index++
	return nil
}
