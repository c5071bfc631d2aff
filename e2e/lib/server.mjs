// Starting and stopping a `huicai serve` for one test file: a free port on
// 127.0.0.1, a fresh temporary data folder, and a clean shutdown afterwards
// (also when the test fails or the runner exits early).
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

const READY = '惠才通已启动'
// The one-time setup token a fresh server prints before its ready line.
const SETUP_TOKEN = /初始设置口令：(\S+)/
const live = new Set()

// Last resort: never leave a server behind if the test process goes away.
process.on('exit', () => {
  for (const child of live) {
    try {
      child.kill('SIGKILL')
    } catch {
      // already gone
    }
  }
})

/** The binary under test, from HUICAI_BIN. Throws a clear error when unset or missing. */
export async function huicaiBin() {
  const bin = process.env.HUICAI_BIN
  if (!bin) {
    throw new Error(
      'HUICAI_BIN is not set: build the app (cd .. && npm --prefix frontend run build && go build -o /tmp/e2e-huicai .) ' +
        'and run e.g. HUICAI_BIN=/tmp/e2e-huicai npm test',
    )
  }
  const abs = path.resolve(bin)
  try {
    await fs.access(abs, fs.constants.X_OK)
  } catch {
    throw new Error(`HUICAI_BIN=${bin} is not an executable file`)
  }
  return abs
}

/** A TCP port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Starts `huicai serve` and resolves once it prints its ready line.
 * Options: sessionIdle ('2s' …), extraArgs, timeoutMs, dataDir (a folder to
 * use instead of a fresh one), passData (false: no --data, so the server
 * takes its default folder, which dataDir must then name).
 * Returns { url, port, dataDir, proc, output(), setupToken, api(), stop() }.
 */
export async function startServer({
  sessionIdle,
  extraArgs = [],
  timeoutMs = 20000,
  dataDir: reuse,
  passData = true,
} = {}) {
  const bin = await huicaiBin()
  // reuse: a data folder left by an earlier server (see stop({ keepData: true })).
  const dataDir = reuse ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'huicai-e2e-')))
  const port = await freePort()
  const args = ['serve', '--listen', `127.0.0.1:${port}`, ...(passData ? ['--data', dataDir] : [])]
  if (sessionIdle) args.push('--session-idle', sessionIdle)
  args.push(...extraArgs)

  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } })
  live.add(proc)
  let out = ''
  proc.stdout.setEncoding('utf8')
  proc.stderr.setEncoding('utf8')
  proc.stdout.on('data', (d) => (out += d))
  proc.stderr.on('data', (d) => (out += d))
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })))
  exited.then(() => live.delete(proc))

  const server = {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    proc,
    output: () => out,
    /** The setup token the server printed ('' once setup is done). */
    get setupToken() {
      return SETUP_TOKEN.exec(out)?.[1] ?? ''
    },
    /** Calls the JSON API from Node. Returns { status, body }. */
    async api(method, urlPath, body, token) {
      const headers = { Accept: 'application/json' }
      if (body !== undefined) headers['Content-Type'] = 'application/json'
      if (token) headers.Authorization = `Bearer ${token}`
      const res = await fetch(server.url + urlPath, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      let json
      try {
        json = text ? JSON.parse(text) : null
      } catch {
        json = text
      }
      return { status: res.status, body: json, headers: res.headers }
    },
    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its data folder unless keepData. */
    async stop({ keepData = false } = {}) {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM')
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5000)
        await exited
        clearTimeout(timer)
      }
      if (!keepData && !process.env.E2E_KEEP_DATA) await fs.rm(dataDir, { recursive: true, force: true })
    },
  }

  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`huicai serve did not start within ${timeoutMs} ms. Output:\n${out}`)),
        timeoutMs,
      )
      const check = () => {
        if (out.includes(READY)) {
          clearTimeout(timer)
          proc.stdout.off('data', check)
          resolve()
        }
      }
      proc.stdout.on('data', check)
      check()
      exited.then(({ code, signal }) => {
        clearTimeout(timer)
        reject(new Error(`huicai serve exited early (code ${code}, signal ${signal}). Output:\n${out}`))
      })
    })
  } catch (err) {
    await server.stop()
    throw err
  }
  return server
}

/** The sample unit and leader used across the tests (valid for POST /api/setup). */
export const sampleSetup = Object.freeze({
  unit_name: '山东大学',
  uscc: '12370000495570512F',
  address: '济南市历城区山大南路27号',
  contact_person: '张三',
  contact_phone: '0531-88364000',
  leader_name: '李四',
  mobile: '13800138000',
  username: 'leader',
  password: 'Leader@2026',
  password_confirm: 'Leader@2026',
})

/**
 * Runs first-run setup through the API (faster than the UI), with the setup
 * token the server printed; throws unless it succeeds.
 */
export async function setupViaApi(server, input = sampleSetup) {
  const res = await server.api('POST', '/api/setup', { ...input, setup_token: server.setupToken })
  if (res.status !== 200 && res.status !== 201) {
    throw new Error(`POST /api/setup failed: ${res.status} ${JSON.stringify(res.body)}`)
  }
  return res.body
}
