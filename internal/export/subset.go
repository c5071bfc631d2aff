package export

import (
	"encoding/binary"
	"errors"
	"maps"
	"math/bits"
	"slices"
	"sync"
)

// fpdf parses the whole of a TrueType font for every document, twice (when
// it is added and when it is cut down at output): for the 4.6 MB main font
// that was most of the cost of a form. So each document gets its own copy
// of the main font holding only the glyphs of the characters it draws,
// made from the main font's tables read once per process; fpdf parses that
// small font in microseconds. The glyphs, metrics and font-wide tables are
// the main font's own, so the text looks and measures the same.

// ttFont is a TrueType font's tables read once, for cutting subsets.
type ttFont struct {
	ttf      []byte
	glyphs   *[0x10000]uint16 // the glyph of each character, 0 for none
	loca     []uint32         // where each glyph starts in glyf, and where the last ends
	glyf     []byte
	hmtx     []byte
	nMetrics int // full horizontal metrics in hmtx; the glyphs after them share the last advance
}

// mainFont is the main font's tables.
var mainFont = sync.OnceValue(func() *ttFont {
	f, err := readTTFont(fontTTF)
	if err != nil {
		panic("export: embedded main font: " + err.Error()) // fixed at build time; the tests load it
	}
	return f
})

var errBadTables = errors.New("export: damaged TrueType tables")

func readTTFont(ttf []byte) (*ttFont, error) {
	glyphs, err := cmapGlyphs(ttf)
	if err != nil {
		return nil, err
	}
	head, maxp, hhea, loca := table(ttf, "head"), table(ttf, "maxp"), table(ttf, "hhea"), table(ttf, "loca")
	n := int(u16(maxp, 4))
	f := &ttFont{ttf: ttf, glyphs: glyphs, glyf: table(ttf, "glyf"), hmtx: table(ttf, "hmtx"), nMetrics: int(u16(hhea, 34))}
	long := u16(head, 50) == 1
	for g := 0; g <= n; g++ {
		if long {
			f.loca = append(f.loca, u32(loca, 4*g))
		} else {
			f.loca = append(f.loca, 2*uint32(u16(loca, 2*g)))
		}
	}
	if n == 0 || f.nMetrics == 0 || len(f.hmtx) < 4*f.nMetrics+2*(n-f.nMetrics) ||
		len(loca) < 2*(n+1) || int(f.loca[n]) > len(f.glyf) {
		return nil, errBadTables
	}
	return f, nil
}

// glyph is the outline of glyph g, empty if it has none or is out of range.
func (f *ttFont) glyph(g uint16) []byte {
	if int(g)+1 >= len(f.loca) || f.loca[g] >= f.loca[g+1] || int(f.loca[g+1]) > len(f.glyf) {
		return nil
	}
	return f.glyf[f.loca[g]:f.loca[g+1]]
}

// Composite glyph flags (TrueType glyf table).
const (
	argsAreWords    = 0x0001
	haveScale       = 0x0008
	moreComponents  = 0x0020
	haveXYScale     = 0x0040
	haveTwoByTwo    = 0x0080
	compositeHeader = 10
)

// components calls fn with the offset in data of each component's glyph
// index, if data is a composite glyph.
func components(data []byte, fn func(at int)) {
	if len(data) < compositeHeader || int16(u16(data, 0)) >= 0 {
		return
	}
	for at := compositeHeader; at+4 <= len(data); {
		flags := u16(data, at)
		fn(at + 2)
		at += 4 + 2
		if flags&argsAreWords != 0 {
			at += 2
		}
		switch {
		case flags&haveScale != 0:
			at += 2
		case flags&haveXYScale != 0:
			at += 4
		case flags&haveTwoByTwo != 0:
			at += 8
		}
		if flags&moreComponents == 0 {
			return
		}
	}
}

// maxSubsetSegments keeps the format-4 cmap of a subset under its 64 KB limit.
const maxSubsetSegments = 8000

// subset returns a TrueType font with the glyphs of chars (those the font
// has) and the glyphs they are built from, or nil if chars are too many
// for one: then the whole font is used.
func (f *ttFont) subset(chars *bmpSet) []byte {
	olds := []uint16{0} // the original glyph of each new one; glyph 0 stays .notdef
	renumber := map[uint16]uint16{0: 0}
	var add func(g uint16) uint16
	add = func(g uint16) uint16 {
		if n, ok := renumber[g]; ok {
			return n
		}
		n := uint16(len(olds))
		renumber[g], olds = n, append(olds, g)
		components(f.glyph(g), func(at int) { add(u16(f.glyph(g), at)) })
		return n
	}
	type segment struct{ start, end, gid uint16 }
	var segs []segment
	for c := range 0xFFFF {
		if !chars.has(rune(c)) || f.glyphs[c] == 0 {
			continue
		}
		gid := add(f.glyphs[c])
		if k := len(segs) - 1; k >= 0 && int(segs[k].end)+1 == c && int(segs[k].gid)+c-int(segs[k].start) == int(gid) {
			segs[k].end++
			continue
		}
		segs = append(segs, segment{uint16(c), uint16(c), gid})
	}
	if len(segs) >= maxSubsetSegments {
		return nil
	}
	segs = append(segs, segment{0xFFFF, 0xFFFF, 0}) // the closing segment, mapping 0xFFFF to glyph 0

	var glyf, loca, hmtx []byte
	for _, old := range olds {
		loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		at := len(glyf)
		glyf = append(glyf, f.glyph(old)...)
		components(glyf[at:], func(c int) {
			binary.BigEndian.PutUint16(glyf[at+c:], renumber[u16(glyf, at+c)])
		})
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		m := min(int(old), f.nMetrics-1)
		hmtx = append(hmtx, f.hmtx[4*m:4*m+2]...) // advance
		if int(old) < f.nMetrics {
			hmtx = append(hmtx, f.hmtx[4*m+2:4*m+4]...)
		} else {
			lsb := 4*f.nMetrics + 2*(int(old)-f.nMetrics)
			hmtx = append(hmtx, f.hmtx[lsb:lsb+2]...)
		}
	}
	loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))

	n := uint16(len(olds))
	head := slices.Clone(table(f.ttf, "head"))
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment
	binary.BigEndian.PutUint16(head[50:], 1) // long loca offsets
	maxp := slices.Clone(table(f.ttf, "maxp"))
	binary.BigEndian.PutUint16(maxp[4:], n)
	hhea := slices.Clone(table(f.ttf, "hhea"))
	binary.BigEndian.PutUint16(hhea[34:], n)
	post := slices.Clone(table(f.ttf, "post")[:32]) // version 3: no glyph names
	binary.BigEndian.PutUint32(post, 0x00030000)

	cmap := []byte{0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12} // one subtable: Windows Unicode BMP, at 12
	count := len(segs)
	search := 2 << (bits.Len(uint(count)) - 1)
	cmap = append16(cmap, 4, uint16(16+8*count), 0, uint16(2*count), uint16(search),
		uint16(bits.Len(uint(count))-1), uint16(2*count-search))
	for _, s := range segs {
		cmap = append16(cmap, s.end)
	}
	cmap = append16(cmap, 0)
	for _, s := range segs {
		cmap = append16(cmap, s.start)
	}
	for _, s := range segs {
		cmap = append16(cmap, s.gid-s.start)
	}
	for range segs {
		cmap = append16(cmap, 0)
	}

	tables := map[string][]byte{"OS/2": table(f.ttf, "OS/2"), "cmap": cmap, "glyf": glyf, "head": head, "hhea": hhea,
		"hmtx": hmtx, "loca": loca, "maxp": maxp, "name": table(f.ttf, "name"), "post": post}
	for _, tag := range []string{"cvt ", "fpgm", "gasp", "prep"} { // hinting, as fpdf keeps it
		if t := table(f.ttf, tag); t != nil {
			tables[tag] = t
		}
	}
	return sfnt(tables)
}

// append16 appends big-endian 16-bit numbers.
func append16(b []byte, vs ...uint16) []byte {
	for _, v := range vs {
		b = binary.BigEndian.AppendUint16(b, v)
	}
	return b
}

// sfnt assembles a TrueType font file from its tables.
func sfnt(tables map[string][]byte) []byte {
	tags := slices.Sorted(maps.Keys(tables))
	count := len(tags)
	search := 16 << (bits.Len(uint(count)) - 1)
	out := binary.BigEndian.AppendUint32(nil, 0x00010000)
	out = append16(out, uint16(count), uint16(search), uint16(bits.Len(uint(count))-1), uint16(16*count-search))
	at := 12 + 16*count
	for _, tag := range tags {
		t := tables[tag]
		out = append(out, tag...)
		out = binary.BigEndian.AppendUint32(out, checksum(t))
		out = binary.BigEndian.AppendUint32(out, uint32(at))
		out = binary.BigEndian.AppendUint32(out, uint32(len(t)))
		at += (len(t) + 3) &^ 3
	}
	for _, tag := range tags {
		out = append(out, tables[tag]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

// checksum is a TrueType table checksum: the sum of its 32-bit words.
func checksum(t []byte) uint32 {
	var sum uint32
	for i := 0; i < len(t); i += 4 {
		var w [4]byte
		copy(w[:], t[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
