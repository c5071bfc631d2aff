package perf

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/rand/v2"

	"huicai/internal/files"
)

// Attachment sizes. The applications ready for 汇总提交 carry scans of
// about 110 KB in all (about 1 GB over 9,000 of them); the others a few KB.
const (
	bigScan   = 40 << 10
	bigProof  = 70 << 10
	smallFile = 4 << 10
)

var (
	jpegHead = []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}
	pdfHead  = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
)

// document is a file to upload: a name and what it holds.
type document struct {
	name string
	body []byte
}

// randomDocument is an upload of about size bytes, incompressible and
// different for every seed, headed as a JPEG scan or a PDF so that the
// store takes it.
func randomDocument(name string, pdf bool, size int, seed uint64) document {
	head := jpegHead
	if pdf {
		head = pdfHead
	}
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	r := rand.New(rand.NewPCG(seed, 3))
	size += r.IntN(size/5+1) - size/10
	body := make([]byte, size)
	copy(body, head)
	if _, err := io.ReadFull(rand.NewChaCha8(key), body[len(head):]); err != nil {
		panic(err) // ChaCha8 never fails
	}
	return document{name: name, body: body}
}

// put seals d into the store, as an upload does.
func put(store *files.Store, d document) (files.File, error) {
	return store.Put(bytes.NewReader(d.body), d.name)
}
