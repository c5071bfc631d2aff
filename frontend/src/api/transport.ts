// The one gateway to the backend. It picks the transport — the desktop
// window's in-process bridge, or HTTP in a browser — adds the bearer token and
// turns every failure into an ApiError, so everything above it is the same in
// both modes. Only the area modules beside it call these functions.

export interface FieldErrors {
  [field: string]: string
}

/** An error answered by the backend: a code, a Chinese message, per-field messages. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public fields: FieldErrors = {},
  ) {
    super(message)
  }
}

/** One page of a list and how many rows the whole list has. */
export interface Page<T> {
  items: T[]
  total: number
  /** Rows a page holds: the page_size asked for, or the server's maximum (100) when more was asked. */
  page_size: number
}

/** A request the desktop window's bridge carries to the backend. */
export interface BridgeRequest {
  method: string
  path: string
  headers: Record<string, string>
  body: string
}

interface BridgeResponse {
  status: number
  headers: Record<string, string>
  body: string
  base64: boolean
}

declare global {
  interface Window {
    go?: { app?: { Bridge?: { Call(req: BridgeRequest): Promise<BridgeResponse> } } }
  }
}

const tokenKey = 'huicai.token'

export function getToken(): string {
  return sessionStorage.getItem(tokenKey) ?? ''
}

export function setToken(token: string) {
  if (token) sessionStorage.setItem(tokenKey, token)
  else sessionStorage.removeItem(tokenKey)
}

/** True inside the desktop window, where calls go through the bound bridge. */
export function isDesktop(): boolean {
  return !!window.go?.app?.Bridge
}

type Unauthorized = (err: ApiError) => void
let onUnauthorized: Unauthorized = () => {}

/** Registers what happens when the session is missing or has expired. */
export function handleUnauthorized(fn: Unauthorized) {
  onUnauthorized = fn
}

function baseHeaders(): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  const token = getToken()
  if (token) headers.Authorization = `Bearer ${token}`
  return headers
}

async function send(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const headers = baseHeaders()
  const payload = body === undefined ? '' : JSON.stringify(body)
  if (payload) headers['Content-Type'] = 'application/json'
  const bridge = window.go?.app?.Bridge
  if (bridge) {
    const res = await bridge.Call({ method, path, headers, body: payload })
    return { status: res.status, text: res.body }
  }
  const res = await fetch(path, { method, headers, body: payload || undefined })
  return { status: res.status, text: await res.text() }
}

const sessionCodes = new Set(['unauthenticated', 'session_expired'])

/** Runs one exchange with the backend; failing to reach it becomes an ApiError. */
async function reach<R>(exchange: () => Promise<R>): Promise<R> {
  try {
    return await exchange()
  } catch {
    throw new ApiError(0, 'network', '无法连接到惠才通服务，请检查网络或服务是否已启动')
  }
}

/** Sends a JSON request and answers the JSON reply. */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  return answer<T>(await reach(() => send(method, path, body)))
}

/** Sends a file as the raw request body with its name (browser uploads). */
export async function upload<T>(path: string, file: File): Promise<T> {
  const headers = {
    ...baseHeaders(),
    'Content-Type': file.type || 'application/octet-stream',
    'X-File-Name': encodeURIComponent(file.name),
  }
  return answer<T>(
    await reach(async () => {
      const res = await fetch(path, { method: 'POST', headers, body: file })
      return { status: res.status, text: await res.text() }
    }),
  )
}

/** GETs a file's bytes, typed with the Content-Type the backend sends. */
export async function download(path: string): Promise<Blob> {
  const headers = baseHeaders()
  const bridge = window.go?.app?.Bridge
  if (bridge) {
    const res = await reach(() => bridge.Call({ method: 'GET', path, headers, body: '' }))
    if (res.status < 200 || res.status >= 300) return answer<never>({ status: res.status, text: res.body })
    // The bridge sends bodies that are not UTF-8 text base64-encoded.
    const bytes = res.base64 ? Uint8Array.from(atob(res.body), (c) => c.charCodeAt(0)) : new TextEncoder().encode(res.body)
    const type = Object.entries(res.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? ''
    return new Blob([bytes], { type })
  }
  const res = await fetched(path)
  return reach(() => res.blob())
}

/** A browser GET's successful response; an error answer is thrown as an ApiError. */
async function fetched(path: string): Promise<Response> {
  const res = await reach(() => fetch(path, { headers: baseHeaders() }))
  if (!res.ok) return answer<never>({ status: res.status, text: await reach(() => res.text()) })
  return res
}

/** Browser: hands blob to the user as a file download named name. */
function offer(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** Browser: downloads path as a file, under the name the backend gives it. */
async function saveDownload(path: string): Promise<void> {
  const res = await fetched(path)
  const blob = await reach(() => res.blob())
  const named = /filename\*=UTF-8''([^;]+)/i.exec(res.headers.get('Content-Disposition') ?? '')
  offer(blob, named ? decodeURIComponent(named[1]) : '')
}

/** Browser: offers text as a file download named name. */
export function downloadText(name: string, text: string) {
  offer(new Blob([text], { type: 'application/json' }), name)
}

/** What a call that shows a native dialog answers; null when the user closed the dialog. */
export async function chosen<T>(dialogCall: Promise<T>): Promise<T | null> {
  try {
    return await dialogCall
  } catch (err) {
    if (err instanceof ApiError && err.code === 'cancelled') return null
    throw err
  }
}

/**
 * Saves a file the backend offers under base: a browser downloads base/download; in the desktop window
 * base/save has Go ask where (native dialog) and write it there. Answers where it went: the desktop's
 * path, '' for a browser download, null when the user closed the dialog.
 */
export async function keep(base: string, search = ''): Promise<string | null> {
  if (!isDesktop()) {
    await saveDownload(`${base}/download${search}`)
    return ''
  }
  const saved = await chosen(call<{ path: string }>('POST', `${base}/save${search}`))
  return saved && saved.path
}

/** The JSON in an answer's text; {} for none. */
function parsed(res: { status: number; text: string }): unknown {
  try {
    return res.text ? JSON.parse(res.text) : {}
  } catch {
    throw new ApiError(res.status, 'internal', '服务返回了无法识别的内容，请稍后重试')
  }
}

/** A JSON answer's data; an error answer is thrown as an ApiError. */
function answer<T>(res: { status: number; text: string }): T {
  const data = parsed(res)
  if (res.status >= 200 && res.status < 300) return data as T
  const e: Partial<{ code: string; message: string; fields: FieldErrors }> =
    (data as { error?: object } | null)?.error ?? {}
  const err = new ApiError(res.status, e.code ?? 'internal', e.message ?? '请求失败，请稍后重试', e.fields ?? {})
  if (res.status === 401 && sessionCodes.has(err.code)) {
    setToken('')
    onUnauthorized(err)
  }
  throw err
}

/** A query string from the set values of params (empty ones and false left out; true as 1). */
export function query(params: object): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '' && v !== 0 && v !== false) q.set(k, v === true ? '1' : String(v))
  }
  const s = q.toString()
  return s ? '?' + s : ''
}

/** A list's filter, its states among the rest. */
interface ListFilter {
  state?: string[]
}

/** Which page of a list. */
interface Paging {
  page?: number
  page_size?: number
}

/** A list filter's query string, its states joined with commas. */
export function listQuery(filter: ListFilter): string {
  return query({ ...filter, state: filter.state?.join(',') })
}

/**
 * Saves 导出Excel of the list at path (see keep): every row the filter
 * selects, in its sort, whatever page the list shows.
 */
export function keepList(path: string, { page: _page, page_size: _size, ...filter }: ListFilter & Paging) {
  return keep(`${path}/export`, listQuery(filter))
}
