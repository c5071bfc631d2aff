package pack

import (
	"archive/zip"
	"cmp"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// A package's bytes go through four stages, each on a goroutine of its
// own so that two cores share the work:
//
//	read ahead  opens each source in turn and reads it (for stored
//	            documents: decrypts and checks it) into chunks
//	zip         the caller's goroutine: writes each chunk into its zip
//	            entry, on to the file and to the package's hash
//	file SM3    hashes each chunk for its file's manifest entry, unless
//	            the file's SM3 was recorded when it was stored
//	package SM3 hashes every byte of the zip (asyncHash)
//
// Every byte is hashed once for each purpose, and memory stays bounded by
// the chunks in flight, however large the files.

// chunkSize is how much of a source one chunk holds, and chunksInFlight
// how many chunks are read ahead or waiting to be hashed at once.
const (
	chunkSize      = 256 << 10
	chunksInFlight = 16
)

// errStopped is a reading that ended before the last source's end.
var errStopped = errors.New("pack: reading the files stopped early")

// chunk is a piece of one source's bytes; a chunk without data ends its
// source, and one with err ends the reading.
type chunk struct {
	src  int
	data []byte
	err  error
}

// zipAll zips sources in order and returns their manifest entries,
// calling progress with the count of sources done.
func zipAll(ctx context.Context, zw *zip.Writer, sources []Source, modified time.Time, progress func(done int)) ([]FileEntry, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pool := make(chan []byte, chunksInFlight)
	for range chunksInFlight {
		pool <- make([]byte, chunkSize)
	}
	read, toHash := make(chan chunk, chunksInFlight), make(chan chunk, chunksInFlight)
	sums := make([]string, len(sources))
	var wg sync.WaitGroup
	wg.Go(func() { readAhead(ctx, sources, pool, read) })
	wg.Go(func() { hashFiles(toHash, pool, sums) })
	entries, err := zipChunks(ctx, zw, sources, modified, read, toHash, pool, progress)
	close(toHash)
	cancel() // stops the reader if zipping failed
	wg.Wait()
	if err != nil {
		return nil, err
	}
	for i := range entries {
		entries[i].SM3 = cmp.Or(sources[i].SM3, sums[i])
	}
	return entries, nil
}

// zipChunks writes the chunks read into their zip entries and hands each
// on to be hashed (or back to pool, for a source whose SM3 is known),
// returning the entries with their sizes.
func zipChunks(ctx context.Context, zw *zip.Writer, sources []Source, modified time.Time, read <-chan chunk, toHash chan<- chunk,
	pool chan<- []byte, progress func(done int)) ([]FileEntry, error) {
	entries := make([]FileEntry, 0, len(sources))
	ended := 0
	var w io.Writer
	for c := range read {
		switch {
		case c.err != nil:
			return nil, c.err
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case len(entries) == c.src: // the source's first chunk
			var err error
			if w, err = createEntry(zw, sources[c.src].Path, sources[c.src].Compress, modified); err != nil {
				return nil, err
			}
			entries = append(entries, FileEntry{Path: sources[c.src].Path})
		}
		if c.data == nil {
			ended++
			progress(ended)
		} else if _, err := w.Write(c.data); err != nil {
			return nil, fmt.Errorf("pack: copy %s: %w", sources[c.src].Path, err)
		}
		entries[c.src].Size += int64(len(c.data))
		if sources[c.src].SM3 == "" {
			toHash <- c
		} else if c.data != nil {
			pool <- c.data // hashed when stored: nothing to do
		}
	}
	if ended < len(sources) { // the reader stops early only when ctx ends
		return nil, cmp.Or(ctx.Err(), errStopped)
	}
	return entries, nil
}

// readAhead reads the sources in order into chunks from pool, sending each
// source's chunks and then its end to out; it stops at the first error
// (sent on) or when ctx ends, and closes out.
func readAhead(ctx context.Context, sources []Source, pool chan []byte, out chan<- chunk) {
	defer close(out)
	for i, s := range sources {
		if err := readSource(ctx, i, s, pool, out); err != nil {
			select {
			case out <- chunk{src: i, err: err}:
			case <-ctx.Done():
			}
			return
		}
	}
}

// readSource sends one source's chunks and its end.
func readSource(ctx context.Context, i int, s Source, pool chan []byte, out chan<- chunk) error {
	in, err := s.Open()
	if err != nil {
		return fmt.Errorf("pack: open %s: %w", s.Path, err)
	}
	defer in.Close()
	send := func(c chunk) error {
		select {
		case out <- c:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for {
		var buf []byte
		select {
		case buf = <-pool:
		case <-ctx.Done():
			return ctx.Err()
		}
		n, err := io.ReadFull(in, buf[:cap(buf)])
		if n == 0 {
			pool <- buf // never blocks: the pool has room for every buffer
		} else if err := send(chunk{src: i, data: buf[:n]}); err != nil {
			return err
		}
		switch {
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			return send(chunk{src: i})
		case err != nil:
			return fmt.Errorf("pack: copy %s: %w", s.Path, err)
		}
	}
}

// hashFiles hashes each source's chunks into sums, by source, and puts the
// chunks back into pool.
func hashFiles(in <-chan chunk, pool chan<- []byte, sums []string) {
	h := sm3.New()
	for c := range in {
		if c.data == nil {
			sums[c.src] = hex.EncodeToString(h.Sum(nil))
			h.Reset()
			continue
		}
		h.Write(c.data)
		pool <- c.data
	}
}

// asyncHash is the package SM3 stage: it copies what the zip writes, in
// chunks, to a goroutine that hashes it while the zip goes on writing.

// asyncChunk is how much is handed over at once, and asyncChunks how many
// chunks may be in flight: memory stays bounded at their product.
const (
	asyncChunk  = 256 << 10
	asyncChunks = 8
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
