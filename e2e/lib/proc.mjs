// Running command-line tools (huicai verify, pdftotext …) and saving browser
// downloads, for tests that check the files the app produces.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Runs a command; resolves to { code, stdout, stderr } whatever the exit code. */
export async function sh(cmd, args, opts = {}) {
  try {
    const { stdout, stderr } = await run(cmd, args, { encoding: 'utf8', timeout: 60000, ...opts })
    return { code: 0, stdout, stderr }
  } catch (err) {
    if (typeof err.code !== 'number') throw err
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }
  }
}

/** Clicks what starts a download (click()) and saves the file as dest; returns the Download. */
export async function download(page, dest, click) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), click()])
  await dl.saveAs(dest)
  assert.equal(await dl.failure(), null, 'download failed')
  return dl
}

/** The text of a PDF as pdftotext reads it (UTF-8), whitespace removed. */
export async function pdfText(file) {
  const r = await sh('pdftotext', ['-enc', 'UTF-8', file, '-'])
  assert.equal(r.code, 0, `pdftotext ${file}: ${r.stderr}`)
  return r.stdout.replace(/\s+/g, '')
}
