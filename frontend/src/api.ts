// The only module that talks to the backend. It picks the transport — the
// desktop window's in-process bridge, or HTTP in a browser — and everything
// above it is the same in both modes.

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

interface BridgeRequest {
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

async function send(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  const token = getToken()
  if (token) headers.Authorization = `Bearer ${token}`
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

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: { status: number; text: string }
  try {
    res = await send(method, path, body)
  } catch {
    throw new ApiError(0, 'network', '无法连接到惠才通服务，请检查网络或服务是否已启动')
  }
  let data: any = {}
  try {
    data = res.text ? JSON.parse(res.text) : {}
  } catch {
    throw new ApiError(res.status, 'internal', '服务返回了无法识别的内容，请稍后重试')
  }
  if (res.status >= 200 && res.status < 300) return data as T
  const e = data?.error ?? {}
  const err = new ApiError(res.status, e.code ?? 'internal', e.message ?? '请求失败，请稍后重试', e.fields ?? {})
  if (res.status === 401 && sessionCodes.has(err.code)) {
    setToken('')
    onUnauthorized(err)
  }
  throw err
}

export type Role = 'leader' | 'commissioner' | 'talent'

export interface User {
  id: number
  role: Role
  username: string
  name: string
  status: string
  must_change_password: boolean
}

export interface SessionView {
  token?: string
  user: User
  role_label: string
  unit_name: string
}

export interface SetupStatus {
  done: boolean
  unit_name?: string
}

export interface SetupInput {
  unit_name: string
  uscc: string
  address: string
  contact_person: string
  contact_phone: string
  leader_name: string
  mobile: string
  username: string
  password: string
  password_confirm: string
}

export interface Unit {
  id: number
  unit_name: string
  uscc: string
  address: string
  contact_person: string
  contact_phone: string
}

export const api = {
  setupStatus: () => call<SetupStatus>('GET', '/api/setup'),
  runSetup: (input: SetupInput) => call<SetupStatus>('POST', '/api/setup', input),
  login: (username: string, password: string) => call<SessionView>('POST', '/api/session', { username, password }),
  session: () => call<SessionView>('GET', '/api/session'),
  logout: () => call<object>('DELETE', '/api/session'),
  unit: () => call<Unit>('GET', '/api/unit'),
}
