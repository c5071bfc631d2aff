// Copyright ©2021 The go-pdf Authors. All rights reserved.
// Use of this source code is governed by a MIT-style
// license that can be found in the LICENSE file.

package fpdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"sync"
)

var xmem = xmempool{
	Pool: sync.Pool{
		New: func() any {
			var m membuffer
			return &m
		},
	},
}

type xmempool struct{ sync.Pool }

func (pool *xmempool) compress(data []byte) *membuffer {
	mem := pool.Get().(*membuffer)
	buf := &mem.buf
	buf.Grow(len(data))

	// huicai: the pooled buffer keeps its zlib writer, reset onto it, since
	// a new one allocates and clears most of a megabyte, for every stream
	// of every document.
	if mem.zw == nil {
		zw, err := zlib.NewWriterLevel(buf, zlib.BestSpeed)
		if err != nil {
			panic(fmt.Errorf("could not create zlib writer: %w", err))
		}
		mem.zw = zw
	} else {
		mem.zw.Reset(buf)
	}
	zw := mem.zw
	_, err := zw.Write(data)
	if err != nil {
		panic(fmt.Errorf("could not zlib-compress slice: %w", err))
	}

	err = zw.Close()
	if err != nil {
		panic(fmt.Errorf("could not close zlib writer: %w", err))
	}
	return mem
}

func (pool *xmempool) uncompress(data []byte) (*membuffer, error) {
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}

	mem := pool.Get().(*membuffer)
	mem.buf.Reset()

	_, err = mem.buf.ReadFrom(zr)
	if err != nil {
		mem.release()
		return nil, err
	}

	return mem, nil
}

type membuffer struct {
	buf bytes.Buffer
	zw  *zlib.Writer // huicai: kept for the next compress
}

func (mem *membuffer) bytes() []byte { return mem.buf.Bytes() }
func (mem *membuffer) release() {
	mem.buf.Reset()
	xmem.Put(mem)
}

func (mem *membuffer) copy() []byte {
	src := mem.bytes()
	dst := make([]byte, len(src))
	copy(dst, src)
	return dst
}

// cidToGidPool holds the CIDToGIDMap scratch space of putfonts (huicai).
var cidToGidPool = sync.Pool{New: func() any {
	b := make([]byte, 256*256*2)
	return &b
}}

// widthTables holds UTF-8 fonts' 65,536-entry width tables (huicai): each
// document parsed a new one (512 KB), and Output gives them back.
var widthTables = sync.Pool{New: func() any {
	t := make([]int, 256*256)
	return &t
}}

// newWidthTable is a cleared width table from the pool.
func newWidthTable() []int {
	t := *widthTables.Get().(*[]int)
	clear(t)
	return t
}
