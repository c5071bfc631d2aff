"""Cut fallback fonts into small TrueType "block fonts" that fpdf can embed.

fpdf's UTF-8 fonts only know the Basic Multilingual Plane (16-bit CIDs, a
format-4 cmap), so Chinese characters outside it cannot be drawn with a font
as they are. This script takes every CJK character the main font lacks,
finds it in the first fallback font that has it, and writes one font per
4096-code-point block (U+XX000-U+XXFFF) in which the private-use code
U+E000 + (cp & 0xFFF) draws the glyph of cp. The PDF writer draws those codes
and tells text extraction the real characters with /ActualText.

Every glyph is drawn out (components decomposed), scaled to 1024 units per
em, given a full-em advance, and written without hinting; each font has only
the tables fpdf reads, and is gzipped (mtime 0, so runs are reproducible).

Run with Debian's Python, which has fontTools (python3-fonttools):

    /usr/bin/python3 internal/export/font/extgen/extgen.py \\
        internal/export/font/wqy-microhei.ttf internal/export/font/ext \\
        /usr/share/fonts/truetype/hanazono/HanaMinA.ttf \\
        /usr/share/fonts/truetype/hanazono/HanaMinB.ttf \\
        /usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf
"""

import gzip
import io
import os
import sys
import time

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

UPEM = 1024
PUA = 0xE000

# The licence of each font glyphs may be taken from; texts are in ../ext.
LICENCES = {
    "HanaMinA.ttf": "Hanazono Font License (HANAZONO-LICENSE.txt)",
    "HanaMinB.ttf": "Hanazono Font License (HANAZONO-LICENSE.txt)",
    "BabelStoneHan.ttf": "ARPHIC PUBLIC LICENSE (ARPHICPL.TXT)",
}

# Han characters and the marks used to describe them: radicals, ideographic
# description characters, strokes, Extension A, the unified block, the
# compatibility ideographs, and all of planes 2 and 3 (Extensions B to J).
RANGES = [
    (0x2E80, 0x2FDF),
    (0x2FF0, 0x2FFF),
    (0x31C0, 0x31EF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FFFF),
    (0x30000, 0x3FFFF),
]


class Source:
    """One fallback font, opened once."""

    def __init__(self, path):
        self.font = TTFont(path)
        self.cmap = self.font.getBestCmap()
        self.glyphs = self.font.getGlyphSet()
        self.scale = UPEM / self.font["head"].unitsPerEm
        self.name = os.path.basename(path)
        if self.name not in LICENCES:
            sys.exit(f"{self.name}: add its licence to LICENCES and ../ext first")
        self.notice = self.font["name"].getDebugName(0) or ""
        self.version = self.font["name"].getDebugName(5) or ""

    def glyph(self, cp):
        """Returns the glyph of cp drawn out at UPEM, checking its advance."""
        name = self.cmap[cp]
        advance = self.font["hmtx"][name][0] * self.scale
        if abs(advance - UPEM) > UPEM / 100:
            sys.exit(f"{self.name}: U+{cp:04X} is {advance} wide, not one em")
        rec = DecomposingRecordingPen(self.glyphs)
        self.glyphs[name].draw(rec)
        pen = TTGlyphPen(None)
        rec.replay(TransformPen(pen, (self.scale, 0, 0, self.scale, 0, 0)))
        return pen.glyph()


def plan(main, sources):
    """Maps each block start to {cp: source} for characters main lacks."""
    have = TTFont(main).getBestCmap()
    blocks = {}
    for lo, hi in RANGES:
        for cp in range(lo, hi + 1):
            if cp in have:
                continue
            src = next((s for s in sources if cp in s.cmap), None)
            if src is not None:
                blocks.setdefault(cp & ~0xFFF, {})[cp] = src
    return blocks


def build(start, chars):
    """Returns the block font for the characters of one block."""
    order = [".notdef"] + [f"u{cp:05X}" for cp in sorted(chars)]
    glyphs = {".notdef": TTGlyphPen(None).glyph()}
    for cp, src in chars.items():
        glyphs[f"u{cp:05X}"] = src.glyph(cp)
    used = sorted({src for src in chars.values()}, key=lambda s: s.name)
    fb = FontBuilder(UPEM, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({PUA + (cp & 0xFFF): f"u{cp:05X}" for cp in chars})
    fb.setupGlyf(glyphs)
    glyf = fb.font["glyf"]
    fb.setupHorizontalMetrics({g: (UPEM, getattr(glyf[g], "xMin", 0)) for g in order})
    fb.setupHorizontalHeader(ascent=880, descent=-144)
    when = time.strftime("%Y-%m-%d", time.gmtime(int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))))
    fb.setupNameTable({
        "copyright": "; ".join(s.notice for s in used),
        "familyName": f"HuicaiExt{start:05X}",
        "styleName": "Regular",
        "description": f"Modified {when} by huicai internal/export/font/extgen: the glyphs of "
        f"U+{start:05X}-U+{start + 0xFFF:05X} cut from "
        + ", ".join(f"{s.name} ({s.version})" for s in used)
        + ", re-encoded at U+E000 + offset, components decomposed, hinting dropped.",
        "licenseDescription": "; ".join(sorted({LICENCES[s.name] for s in used})),
    }, mac=False)
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-144, usWinAscent=880, usWinDescent=144, fsType=0)
    fb.setupPost(keepGlyphNames=False)
    fb.setupMaxp()
    return fb.font, used


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: extgen.py MAIN.ttf OUTDIR FALLBACK.ttf...")
    main_font, out, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    sources = [Source(p) for p in paths]
    os.makedirs(out, exist_ok=True)
    for old in os.listdir(out):
        if old.endswith(".ttf.gz"):
            os.remove(os.path.join(out, old))
    for start, chars in sorted(plan(main_font, sources).items()):
        font, used = build(start, chars)
        ttf = io.BytesIO()
        font.save(ttf)
        path = os.path.join(out, f"{start:05X}.ttf.gz")
        with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as z:
            z.write(ttf.getvalue())
        print(f"U+{start:05X}: {len(chars):5d} glyphs from {', '.join(s.name for s in used)}, "
              f"{os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
