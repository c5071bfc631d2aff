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

export interface Department {
  id: number
  name: string
  active: boolean
}

export type OptionKind = 'category' | 'title'

/** One entry of 人才类别 or 人才称号. */
export interface TalentOption {
  id: number
  kind: OptionKind
  name: string
  active: boolean
}

export interface RegistrationOptions {
  registration_types: string[]
  id_types: string[]
  departments: Department[]
  categories: TalentOption[]
  titles: TalentOption[]
}

/** What a talent tells about themself, at registration and in 我的信息. */
export interface TalentProfile {
  name: string
  gender: '' | '男' | '女'
  birth_date: string
  nationality: string
  id_type: string
  id_number: string
  mobile: string
  email: string
  department_id: number | undefined
  category: string
  title: string
  title_date: string
}

export interface AccountInput {
  username: string
  password: string
  password_confirm: string
}

export type TalentRegistration = TalentProfile & AccountInput

export interface StaffRegistration extends AccountInput {
  registration_type: string
  name: string
  id_type: string
  id_number: string
  mobile: string
  department_id: number | undefined
  position: string
  office_phone: string
}

export interface PasswordChange {
  old_password: string
  new_password: string
  password_confirm: string
}

export type StaffStatus = 'pending' | 'active' | 'rejected' | 'disabled'
export type StaffTab = 'pending' | 'active' | 'rejected'

/** A commissioner's account with its registration details (masked in lists). */
export interface Staff {
  id: number
  role: Role
  username: string
  name: string
  status: StaffStatus
  id_type: string
  id_number: string
  mobile: string
  department_id: number
  position: string
  office_phone: string
  reject_reason: string
  created_at: string
  reviewed_at: string
}

export interface StaffPage {
  items: Staff[]
  counts: Record<StaffStatus, number>
}

export type StaffAction = 'approve' | 'reject' | 'disable' | 'enable'

/** The personal fields the server masks and reveals one at a time. */
export type RevealField = 'id_number' | 'mobile'

export interface Talent extends Omit<TalentProfile, 'gender' | 'department_id'> {
  id: number
  gender: '男' | '女'
  department_id: number
  username: string
  /** 0 when not bound to a commissioner. */
  commissioner_id: number
  created_at: string
}

export interface Page<T> {
  items: T[]
  total: number
}

export interface TalentFilter {
  name?: string
  department_id?: number
  bound?: '' | 'bound' | 'unbound'
  page?: number
  page_size?: number
}

export interface AuditRow {
  id: number
  at: string
  user_id: number
  username: string
  role: string
  client: string
  action: string
  object: string
  outcome: string
  detail: string
  prev_hash: string
  hash: string
}

export interface AuditFilter {
  from?: string
  to?: string
  user?: string
  action?: string
  page?: number
  page_size?: number
}

export interface AuditPage extends Page<AuditRow> {
  actions: string[]
}

/** A query string from the set values of params (empty ones left out). */
function query(params: object): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '' && v !== 0) q.set(k, String(v))
  }
  const s = q.toString()
  return s ? '?' + s : ''
}

export const api = {
  setupStatus: () => call<SetupStatus>('GET', '/api/setup'),
  runSetup: (input: SetupInput) => call<SetupStatus>('POST', '/api/setup', input),
  login: (username: string, password: string) => call<SessionView>('POST', '/api/session', { username, password }),
  session: () => call<SessionView>('GET', '/api/session'),
  logout: () => call<object>('DELETE', '/api/session'),
  changePassword: (input: PasswordChange) => call<object>('POST', '/api/password', input),
  unit: () => call<Unit>('GET', '/api/unit'),

  registrationOptions: () => call<RegistrationOptions>('GET', '/api/registration/options'),
  registerTalent: (input: TalentRegistration) => call<{ id: number }>('POST', '/api/registration/talent', input),
  registerStaff: (input: StaffRegistration) => call<{ id: number }>('POST', '/api/registration/staff', input),

  staffList: (tab: StaffTab) => call<StaffPage>('GET', `/api/staff${query({ tab })}`),
  staff: (id: number) => call<Staff>('GET', `/api/staff/${id}`),
  revealStaff: (id: number, field: RevealField) => call<{ value: string }>('POST', `/api/staff/${id}/reveal`, { field }),
  decideStaff: (id: number, action: StaffAction, reason = '') =>
    call<Staff>('POST', `/api/staff/${id}/decision`, { action, reason }),
  resetStaffPassword: (id: number) => call<{ password: string }>('POST', `/api/staff/${id}/password-reset`),
  staffTalents: (id: number) => call<Page<Talent>>('GET', `/api/staff/${id}/talents`),
  bindTalents: (id: number, talentIDs: number[]) =>
    call<{ bound: number }>('POST', `/api/staff/${id}/talents`, { talent_ids: talentIDs }),
  unbindTalent: (talentID: number) => call<object>('DELETE', `/api/talents/${talentID}/binding`),

  talents: (filter: TalentFilter) => call<Page<Talent>>('GET', `/api/talents${query(filter)}`),
  talent: (id: number) => call<Talent>('GET', `/api/talents/${id}`),
  revealTalent: (id: number, field: RevealField) => call<{ value: string }>('POST', `/api/talents/${id}/reveal`, { field }),
  myTalent: () => call<Talent>('GET', '/api/my/talent'),
  updateMyTalent: (profile: TalentProfile) => call<Talent>('PUT', '/api/my/talent', profile),

  departments: () => call<Department[]>('GET', '/api/departments'),
  createDepartment: (name: string) => call<Department>('POST', '/api/departments', { name }),
  renameDepartment: (id: number, name: string) => call<Department>('PUT', `/api/departments/${id}`, { name }),
  setDepartmentActive: (id: number, active: boolean) =>
    call<Department>('POST', `/api/departments/${id}/active`, { active }),
  deleteDepartment: (id: number) => call<Department>('DELETE', `/api/departments/${id}`),

  talentOptions: (kind: OptionKind) => call<TalentOption[]>('GET', `/api/talent-options${query({ kind })}`),
  createTalentOption: (kind: OptionKind, name: string) => call<TalentOption>('POST', '/api/talent-options', { kind, name }),
  renameTalentOption: (id: number, name: string) => call<TalentOption>('PUT', `/api/talent-options/${id}`, { name }),
  setTalentOptionActive: (id: number, active: boolean) =>
    call<TalentOption>('POST', `/api/talent-options/${id}/active`, { active }),

  audit: (filter: AuditFilter) => call<AuditPage>('GET', `/api/audit${query(filter)}`),
}
