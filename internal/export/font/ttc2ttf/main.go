// Command ttc2ttf copies one font out of a TrueType Collection into a
// standalone .ttf, which PDF writers can embed. It made wqy-microhei.ttf
// from Debian's fonts-wqy-microhei:
//
//	go run ./internal/export/font/ttc2ttf /usr/share/fonts/truetype/wqy/wqy-microhei.ttc 0 internal/export/font/wqy-microhei.ttf
package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: ttc2ttf COLLECTION.ttc INDEX OUT.ttf")
		os.Exit(2)
	}
	index, err := strconv.Atoi(os.Args[2])
	if err == nil {
		err = extract(os.Args[1], index, os.Args[3])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ttc2ttf:", err)
		os.Exit(1)
	}
}

func extract(in string, index int, out string) error {
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	if len(src) < 12 || string(src[:4]) != "ttcf" {
		return errors.New("not a TrueType collection")
	}
	be := binary.BigEndian
	if n := int(be.Uint32(src[8:])); index < 0 || index >= n {
		return fmt.Errorf("index %d out of range (collection has %d fonts)", index, n)
	}
	start := int(be.Uint32(src[12+4*index:]))
	numTables := int(be.Uint16(src[start+4:]))
	header := 12 + 16*numTables
	dst := make([]byte, header, len(src))
	copy(dst, src[start:start+header])
	for i := 0; i < numTables; i++ {
		rec := dst[12+16*i:]
		off, length := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		be.PutUint32(rec[8:], uint32(len(dst)))
		dst = append(dst, src[off:off+length]...)
		for len(dst)%4 != 0 {
			dst = append(dst, 0)
		}
	}
	return os.WriteFile(out, dst, 0o644)
}
