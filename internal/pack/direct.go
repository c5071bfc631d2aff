package pack

import "unsafe"

// directBlock is the alignment of a direct write: its memory, its length
// and its place in the file (4 KiB suits every disk's sectors).
const directBlock = 4096

// aligned reports whether p may be written directly: whole blocks starting
// on a block boundary in memory.
func aligned(p []byte) bool {
	return len(p) > 0 && len(p)%directBlock == 0 && uintptr(unsafe.Pointer(unsafe.SliceData(p)))%directBlock == 0
}

// alignedBuffer is an empty buffer of size bytes' capacity whose memory
// starts on a block boundary.
func alignedBuffer(size int) []byte {
	b := make([]byte, size+directBlock)
	skip := (directBlock - int(uintptr(unsafe.Pointer(unsafe.SliceData(b)))%directBlock)) % directBlock
	return b[skip : skip : skip+size]
}
