// A small zip reader for checking downloaded archives: entries from the
// central directory (names decoded as UTF-8 when flag bit 11 says so, else
// as CP437 would be — left as latin1 here), stored or deflated content.
import zlib from 'node:zlib'

/**
 * Reads the central directory of buf (a zip file in a Buffer).
 * Returns [{ name, flags, method, size, compressedSize, dosDate, dosTime, data() }].
 */
export function readZip(buf) {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (eocd < 0) throw new Error('not a zip file: no end of central directory')
  const count = buf.readUInt16LE(eocd + 10)
  let p = buf.readUInt32LE(eocd + 16)
  const entries = []
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`)
    const flags = buf.readUInt16LE(p + 8)
    const method = buf.readUInt16LE(p + 10)
    const dosTime = buf.readUInt16LE(p + 12)
    const dosDate = buf.readUInt16LE(p + 14)
    const compressedSize = buf.readUInt32LE(p + 20)
    const size = buf.readUInt32LE(p + 24)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    const rawName = buf.subarray(p + 46, p + 46 + nameLen)
    const name = rawName.toString(flags & 0x800 ? 'utf8' : 'latin1')
    entries.push({
      name,
      flags,
      method,
      size,
      compressedSize,
      dosDate,
      dosTime,
      data() {
        if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header for ${name}`)
        const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
        const raw = buf.subarray(start, start + compressedSize)
        if (method === 0) return Buffer.from(raw)
        if (method === 8) return zlib.inflateRawSync(raw)
        throw new Error(`${name}: unsupported compression method ${method}`)
      },
    })
    p += 46 + nameLen + extraLen + commentLen
  }
  return entries
}

/** The content of the entry named name in buf; throws if it is missing. */
export function zipEntry(buf, name) {
  const e = readZip(buf).find((x) => x.name === name)
  if (!e) throw new Error(`zip has no entry ${name}`)
  return e.data()
}

/**
 * A minimal but well-formed one-page PDF showing text (ASCII), e.g. for a
 * stamped scan the preview can render.
 */
export function makePdf(text = 'Stamped summary sheet') {
  const stream = `BT /F1 24 Tf 72 720 Td (${text.replace(/[()\\]/g, '\\$&')}) Tj ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
  ]
  let out = '%PDF-1.4\n'
  const offsets = []
  objects.forEach((body, i) => {
    offsets.push(out.length)
    out += `${i + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = out.length
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}
