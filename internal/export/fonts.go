package export

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

// fontTTF covers ASCII and GBK, rare name characters included (see font/README.md).
//
//go:embed font/wqy-microhei.ttf
var fontTTF []byte

// family is the main font's name in a document.
const family = "wqy"

// blockFS holds the fallback block fonts: font/ext/XXXXX.ttf.gz draws the
// Han characters U+XXXXX–U+XXXXX+FFF the main font lacks, each at the
// private-use code U+E000 + (cp & 0xFFF) (see font/README.md).
//
//go:embed font/ext/*.ttf.gz
var blockFS embed.FS

// pua is where a block font puts the character at offset 0 of its block.
const pua = 0xE000

// mainCover is the set of characters the main font draws.
var mainCover = sync.OnceValue(func() *bmpSet {
	set, err := coverage(fontTTF)
	if err != nil {
		panic("export: embedded main font: " + err.Error()) // fixed at build time; the tests load it
	}
	return set
})

// blockFont is one fallback font, loaded when a document first needs it.
type blockFont struct {
	family string // the font's name in a document, e.g. ext20000
	ttf    []byte
	cover  *bmpSet // private-use codes it draws
}

// has reports whether the block font draws r.
func (b *blockFont) has(r rune) bool { return b != nil && b.cover.has(code(r)) }

// code is the private-use code that draws r in its block font.
func code(r rune) rune { return pua + (r & 0xFFF) }

var blocks struct {
	sync.Mutex
	loaded map[rune]*blockFont // by block start; nil when there is none
}

// blockFor returns the block font for r's block, loading it once, or nil
// if there is none. One that cannot be read (TestBlockFontsAreFullWidth
// reads them all) counts as none: its characters are drawn as
// placeholders and reported.
func blockFor(r rune) *blockFont {
	start := r &^ 0xFFF
	blocks.Lock()
	defer blocks.Unlock()
	if b, ok := blocks.loaded[start]; ok {
		return b
	}
	if blocks.loaded == nil {
		blocks.loaded = map[rune]*blockFont{}
	}
	b, _ := loadBlock(start)
	blocks.loaded[start] = b
	return b
}

// blockName is the embedded file of the block starting at start.
func blockName(start rune) string { return fmt.Sprintf("font/ext/%05X.ttf.gz", start) }

func loadBlock(start rune) (*blockFont, error) {
	gz, err := blockFS.ReadFile(blockName(start))
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	ttf, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	cover, err := coverage(ttf)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", blockName(start), err)
	}
	return &blockFont{family: fmt.Sprintf("ext%05x", start), ttf: ttf, cover: cover}, nil
}

// bmpSet is a set of Basic Multilingual Plane characters.
type bmpSet [0x10000 / 64]uint64

func (s *bmpSet) has(r rune) bool { return r >= 0 && r < 0x10000 && s[r/64]&(1<<(r%64)) != 0 }

func (s *bmpSet) add(r rune) { s[r/64] |= 1 << (r % 64) }

// coverage reads the characters a TrueType font maps to a glyph from its
// format-4 Unicode cmap — the same table fpdf draws with.
func coverage(ttf []byte) (*bmpSet, error) {
	glyphs, err := cmapGlyphs(ttf)
	if err != nil {
		return nil, err
	}
	set := new(bmpSet)
	for c, g := range glyphs {
		if g != 0 {
			set.add(rune(c))
		}
	}
	return set, nil
}

// cmapGlyphs reads the glyph of each character from a TrueType font's
// format-4 Unicode cmap; 0 where it has none.
func cmapGlyphs(ttf []byte) (*[0x10000]uint16, error) {
	sub, err := format4(ttf)
	if err != nil {
		return nil, err
	}
	n := int(u16(sub, 6)) / 2
	ends, starts, deltas, offsets := 14, 16+2*n, 16+4*n, 16+6*n
	if n == 0 || len(sub) < 16+8*n {
		return nil, errBadFont
	}
	glyphs := new([0x10000]uint16)
	for i := 0; i < n; i++ {
		start, end := rune(u16(sub, starts+2*i)), rune(u16(sub, ends+2*i))
		delta, offset := u16(sub, deltas+2*i), int(u16(sub, offsets+2*i))
		for c := start; c <= end && c != 0xFFFF; c++ {
			glyph := uint16(c) + delta
			if offset != 0 {
				if glyph = u16(sub, offsets+2*i+offset+2*int(c-start)); glyph != 0 {
					glyph += delta
				}
			}
			glyphs[c] = glyph
		}
	}
	return glyphs, nil
}

var errBadFont = errors.New("export: damaged TrueType cmap")

// format4 finds the format-4 subtable of a (3,1) or Unicode (0,*) cmap, as fpdf does.
func format4(ttf []byte) ([]byte, error) {
	cmap := table(ttf, "cmap")
	for j := 0; j < int(u16(cmap, 2)); j++ {
		e := 4 + 8*j
		platform, encoding, off := u16(cmap, e), u16(cmap, e+2), int(u32(cmap, e+4))
		if (platform == 3 && encoding == 1 || platform == 0) && u16(cmap, off) == 4 {
			return cmap[off:], nil
		}
	}
	return nil, errBadFont
}

// table returns a TrueType table by tag, or nil.
func table(ttf []byte, tag string) []byte {
	for i := 0; i < int(u16(ttf, 4)); i++ {
		rec := 12 + 16*i
		if rec+4 <= len(ttf) && string(ttf[rec:rec+4]) == tag {
			off, n := int(u32(ttf, rec+8)), int(u32(ttf, rec+12))
			if off+n <= len(ttf) {
				return ttf[off : off+n]
			}
		}
	}
	return nil
}

// u16 and u32 read big-endian numbers, 0 past the end.
func u16(b []byte, at int) uint16 {
	if at < 0 || at+2 > len(b) {
		return 0
	}
	return binary.BigEndian.Uint16(b[at:])
}

func u32(b []byte, at int) uint32 {
	if at < 0 || at+4 > len(b) {
		return 0
	}
	return binary.BigEndian.Uint32(b[at:])
}
