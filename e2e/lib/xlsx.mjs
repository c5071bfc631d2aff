// Reading the first sheet of a downloaded xlsx (a zip of XML parts) without
// a spreadsheet library: each cell's text (shared, inline or plain strings,
// numbers as written) and its number format, enough to check an export row
// for row.
import { readZip } from './zip.mjs'

const entities = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** XML text with its entities and character references decoded. */
function unescape(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e) => {
    if (e[0] !== '#') return entities[e] ?? m
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
  })
}

/** The text of every <t> in xml, joined (a string item's runs). */
const texts = (xml) => [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unescape(m[1])).join('')

/** The value of attribute name in a tag's attributes, or undefined. */
const attr = (attrs, name) => new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs)?.[1]

/** Column letters (A, B, … AA) as a 0-based index. */
function columnIndex(ref) {
  let n = 0
  for (const ch of /^[A-Z]+/.exec(ref)[0]) n = n * 26 + ch.charCodeAt(0) - 64
  return n - 1
}

/**
 * The first sheet of the xlsx in buf as a Map from row number (1-based) to
 * its cells: [{ text, numFmt }] by column, holes as undefined. numFmt is
 * the cell's number format id (49 is text, 0 general).
 */
export function readSheet(buf) {
  const parts = new Map(readZip(buf).map((e) => [e.name, e]))
  const part = (name) => parts.get(name)?.data().toString('utf8') ?? ''
  const shared = [...part('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1]))
  const xfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(part('xl/styles.xml'))?.[1] ?? ''
  const formats = [...xfs.matchAll(/<xf\s([^>]*?)\/?>/g)].map((m) => Number(attr(m[1], 'numFmtId') ?? 0))
  const rows = new Map()
  for (const [, rowAttrs, body] of part('xl/worksheets/sheet1.xml').matchAll(/<row\s([^>]*)>([\s\S]*?)<\/row>/g)) {
    const cells = []
    for (const [, cellAttrs, inner] of body.matchAll(/<c\s([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const type = attr(cellAttrs, 't')
      const value = /<v>([\s\S]*?)<\/v>/.exec(inner ?? '')?.[1]
      let text = ''
      if (type === 's') text = shared[Number(value)]
      else if (type === 'inlineStr') text = texts(inner ?? '')
      else if (value !== undefined) text = unescape(value)
      cells[columnIndex(attr(cellAttrs, 'r'))] = { text, numFmt: formats[Number(attr(cellAttrs, 's') ?? 0)] ?? 0 }
    }
    rows.set(Number(attr(rowAttrs, 'r')), cells)
  }
  return rows
}

/**
 * The table under the header row whose first cell is firstHeader: { headers,
 * rows: [[text…]], cells: [[{ text, numFmt }…]] }, the rows running on until
 * the first missing row number.
 */
export function sheetTable(buf, firstHeader) {
  const sheet = readSheet(buf)
  const at = [...sheet.entries()].find(([, cells]) => cells[0]?.text === firstHeader)
  if (!at) throw new Error(`no header row starting with ${firstHeader}`)
  const [headerRow, headerCells] = at
  const width = headerCells.length
  const cells = []
  for (let r = headerRow + 1; sheet.has(r); r++) {
    cells.push(Array.from({ length: width }, (_, c) => sheet.get(r)[c] ?? { text: '', numFmt: 0 }))
  }
  return {
    headers: headerCells.map((c) => c?.text ?? ''),
    rows: cells.map((row) => row.map((c) => c.text)),
    cells,
  }
}
