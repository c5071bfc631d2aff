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

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  return answer<T>(await reach(() => send(method, path, body)))
}

/** Sends a file as the raw request body with its name (browser uploads). */
async function upload<T>(path: string, file: File): Promise<T> {
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
async function download(path: string): Promise<Blob> {
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

/** Browser: downloads path as a file, under the name the backend gives it. */
async function saveDownload(path: string): Promise<void> {
  const res = await fetched(path)
  const blob = await reach(() => res.blob())
  const named = /filename\*=UTF-8''([^;]+)/i.exec(res.headers.get('Content-Disposition') ?? '')
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = named ? decodeURIComponent(named[1]) : ''
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** What a call that shows a native dialog answers; null when the user closed the dialog. */
async function chosen<T>(dialogCall: Promise<T>): Promise<T | null> {
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
async function keep(base: string, search = ''): Promise<string | null> {
  if (!isDesktop()) {
    await saveDownload(`${base}/download${search}`)
    return ''
  }
  const saved = await chosen(call<{ path: string }>('POST', `${base}/save${search}`))
  return saved && saved.path
}

/** Browser: offers text as a file download named name. */
function downloadText(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** A JSON answer's data; an error answer is thrown as an ApiError. */
function answer<T>(res: { status: number; text: string }): T {
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
  /** Why start-up checks failed; while set the system saves nothing. */
  read_only?: string
  /** Why the data folder would not open at all (desktop failure page). */
  startup_error?: string
  /** Whether the leader's recovery key can repair it. */
  key_recovery?: boolean
  /** Why first-run setup cannot run in this data folder (an earlier installation's); shown instead of the form. */
  setup_refused?: string
  /** Whether first-run setup asks for the token the LAN server printed in its window. */
  token_required?: boolean
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
  /** The one-time setup token the LAN server printed (not needed in the desktop window). */
  setup_token?: string
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
  /** Counts edits; a save names the version it edited. */
  version: number
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

/** Where a 惠才卡申领 stands. */
export type CardState =
  | 'supplement'
  | 'unit_review'
  | 'unit_approved'
  | 'returned'
  | 'batched'
  | 'province_review'
  | 'issued'
  | 'province_rejected'

/** What the commissioner completes in 补充材料. */
export interface Materials {
  highest_education: string
  highest_degree: string
  school_major: string
  professional_title: string
  current_position: string
  field: string
  title_document: string
  achievements: string
  postal_address: string
  postal_code: string
}

/** A save or submit of the materials at the version the user saw. */
export interface MaterialsDraft extends Materials {
  version: number
}

export interface Application extends Materials {
  id: number
  talent_id: number
  state: CardState
  state_label: string
  version: number
  card_no: string
  issued_on: string
  expires_on: string
  created_at: string
  updated_at: string
}

/** An application in a list, with its talent's key data (证件号码 masked). */
export interface ApplicationRow {
  id: number
  talent_id: number
  name: string
  gender: string
  id_type: string
  id_number: string
  department_id: number
  category: string
  title: string
  commissioner_id: number
  state: CardState
  state_label: string
  /** The 审核流程 step it is at (当前环节). */
  step: string
  version: number
  updated_at: string
}

export interface ApplicationFilter {
  /** Any of these; all when empty. */
  state?: CardState[]
  name?: string
  department_id?: number
  commissioner_id?: number
  page?: number
  page_size?: number
}

/** A stored file: its name, size, checked type and SHA-256. */
export interface StoredFile {
  id: number
  sha256: string
  size: number
  type: string
  name: string
  created_at: string
}

export type AttachmentKind = 'id_scan' | 'title_proof' | 'other'

export interface Attachment {
  id: number
  kind: AttachmentKind
  kind_label: string
  file: StoredFile
}

/** One recorded step of an application's history. */
export interface HistoryEvent {
  action: string
  action_label: string
  from_state: string
  to_state: string
  user_name: string
  role: string
  opinion: string
  at: string
}

/** One step of a 审核流程: done (blue), current (red) or not reached (black). */
export interface FlowStep {
  name: string
  status: 'done' | 'current' | 'todo'
  at?: string
  by?: string
  opinion?: string
}

/** Everything the 查看, 补充材料 and 审核 pages show of one application. */
export interface ApplicationDetail {
  application: Application
  /** Masked except for the talent themself. */
  talent: Talent
  attachments: Attachment[]
  history: HistoryEvent[]
  flow: FlowStep[]
  /** The leader's opinion that returned it, while it is 退回修改. */
  return_opinion: string
}

/** The leader's 审核结果 and 审核意见. */
export interface ReviewDecision {
  version: number
  result: 'approve' | 'reject'
  opinion: string
}

/** The to-do counts of 系统首页, scoped to the user's role. */
export interface HomeCounts {
  card: Record<CardState, number>
  /** Commissioners waiting for review (leader only). */
  staff_pending: number
}

/** What a batch (汇总提交) carries: card applications or expert changes. */
export type BatchKind = 'card' | 'change'

export type BatchState = 'draft' | 'exported' | 'submitted' | 'closed' | 'cancelled'

/** A batch's 联系人 and 联系电话. */
export interface BatchContact {
  contact_person: string
  contact_phone: string
}

export interface NewBatch extends BatchContact {
  kind: BatchKind
  item_ids: number[]
}

/** One 汇总提交: its items, exports, stamped scan and, once submitted, its package. */
export interface Batch extends BatchContact {
  id: number
  kind: BatchKind
  kind_label: string
  number: string
  state: BatchState
  state_label: string
  created_at: string
  exported_at: string
  /** The stamped, scanned summary (盖章扫描件). */
  scan: StoredFile | null
  submitted_at: string
  package_id: string
  package_file: string
  package_sm3: string
  package_size: number
  receipt_at: string
  item_ids: number[]
  /** Right after an export: characters the PDFs could not draw (printed as 〓). */
  warning?: string
}

/** One exported paper: its path in the exports (惠才卡申领表/01-王堃.pdf). */
export interface BatchExport {
  name: string
  file: StoredFile
}

/** A batch with its items as the summary sheet shows them (personal numbers masked). */
export interface BatchDetail {
  batch: Batch
  columns: string[]
  rows: string[][]
  exports: BatchExport[]
}

/** Long work in the backend (export, submit) as the UI polls it. */
export interface Job<T> {
  id: string
  state: 'running' | 'done' | 'failed' | 'cancelled'
  done: number
  total: number
  error?: { code: string; message: string; fields?: FieldErrors }
  result?: T
}

/** An SM2 public key: the unit's, or the province's. */
export interface SigningKey {
  public_pem: string
  /** SM3 of the key, in groups of four hex digits. */
  fingerprint: string
  created_at: string
}

export interface Keys {
  unit: SigningKey | null
  province: SigningKey | null
}

/** A kind of expert change (变动类型) and what it asks for. */
export interface ChangeType {
  id: number
  name: string
  /** Leaves the unit: asks 调入单位名称 (and allows 调入单位编码). */
  moves_out: boolean
  /** Moves inside the unit: asks the new 二级单位. */
  internal: boolean
  /** Ends the card's validity once the province accepts it. */
  ends_card: boolean
  active: boolean
}

/** A card's standing. */
export type CardStatus = '有效' | '已过期' | '已失效'

/** An issued 惠才卡. */
export interface Card {
  id: number
  talent_id: number
  card_no: string
  issued_on: string
  expires_on: string
  valid: boolean
  status: CardStatus
  invalid_reason: string
  invalid_on: string
}

/** A talent with their newest card (证件号码 and 手机号码 masked). */
export interface CardHolder extends Card {
  name: string
  gender: string
  id_type: string
  id_number: string
  mobile: string
  department_id: number
}

/** A card issued before the unit used the app (登记已有惠才卡); expires_on empty: five years. */
export interface ExistingCard {
  talent_id: number | undefined
  card_no: string
  issued_on: string
  expires_on: string
}

/** Where an expert change request stands. */
export type ChangeState =
  | 'unit_review'
  | 'rejected'
  | 'approved'
  | 'withdrawn'
  | 'deleted'
  | 'batched'
  | 'province_review'
  | 'accepted'
  | 'province_rejected'

/** A change request in a list (手机号码 masked). */
export interface ChangeRow {
  id: number
  talent_id: number
  name: string
  gender: string
  mobile: string
  card_no: string
  change_type: string
  change_date: string
  state: ChangeState
  state_label: string
  /** The 审核流程 step it is at (当前环节). */
  step: string
  version: number
  commissioner_name: string
  created_at: string
}

export interface ChangeFilter {
  /** Any of these; all when empty. */
  state?: ChangeState[]
  name?: string
  page?: number
  page_size?: number
}

/** What the 变动 dialog fills in. */
export interface ChangeInput {
  change_type_id: number | undefined
  change_date: string
  description: string
  receiving_unit_name: string
  receiving_unit_code: string
  new_department_id: number | undefined
}

/** A new change request for a card holder. */
export interface NewChange extends ChangeInput {
  talent_id: number | undefined
}

/** A rejected request corrected at the version the user saw. */
export interface ChangeCorrection extends ChangeInput {
  version: number
}

export interface ChangeRequest {
  id: number
  talent_id: number
  card_id: number
  commissioner_id: number
  change_type_id: number
  change_type: string
  state: ChangeState
  state_label: string
  version: number
  change_date: string
  description: string
  receiving_unit_name: string
  receiving_unit_code: string
  /** 0 unless the change moves the talent inside the unit. */
  new_department_id: number
  created_at: string
  updated_at: string
}

/** One recorded step of a change request's history. */
export type ChangeEvent = Omit<HistoryEvent, 'from_state'>

/** Everything the 详情, 修改 and 查看审核流程 dialogs show of one change request. */
export interface ChangeDetail {
  request: ChangeRequest
  /** Masked. */
  talent: Talent
  card: Card
  commissioner_name: string
  commissioner_phone: string
  /** The latest 不通过原因. */
  reject_reason: string
  history: ChangeEvent[]
  flow: FlowStep[]
}

/** 通过 / 不通过 (with 不通过原因) / 删除 by the leader, 撤回 by the commissioner. */
export interface ChangeDecision {
  version: number
  action: 'approve' | 'reject' | 'delete' | 'withdraw'
  reason?: string
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
  /** Saves the talent's profile edited from the copy at version (409 when it changed since). */
  updateMyTalent: (profile: TalentProfile, version: number) =>
    call<Talent>('PUT', '/api/my/talent', { ...profile, version }),

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

  home: () => call<HomeCounts>('GET', '/api/home'),
  applications: (filter: ApplicationFilter) =>
    call<Page<ApplicationRow>>('GET', `/api/applications${query({ ...filter, state: filter.state?.join(',') })}`),
  application: (id: number) => call<ApplicationDetail>('GET', `/api/applications/${id}`),
  saveApplication: (id: number, draft: MaterialsDraft) => call<ApplicationDetail>('PUT', `/api/applications/${id}`, draft),
  submitApplication: (id: number, draft: MaterialsDraft) =>
    call<ApplicationDetail>('POST', `/api/applications/${id}/submit`, draft),
  reviewApplication: (id: number, decision: ReviewDecision) =>
    call<ApplicationDetail>('POST', `/api/applications/${id}/review`, decision),
  renewApplication: (id: number) => call<ApplicationDetail>('POST', `/api/applications/${id}/renew`),
  /** Browser: uploads file. */
  uploadAttachment: (id: number, kind: AttachmentKind, file: File) =>
    upload<Attachment>(`/api/applications/${id}/attachments${query({ kind })}`, file),
  /** Desktop: the backend shows the native file dialog; code 'cancelled' when the user closes it. */
  chooseAttachment: (id: number, kind: AttachmentKind) =>
    call<Attachment>('POST', `/api/applications/${id}/attachments/choose`, { kind }),
  /** Desktop: attaches a file dropped onto the window (Wails gives its path; Go reads it). */
  dropAttachment: (id: number, kind: AttachmentKind, path: string) =>
    call<Attachment>('POST', `/api/applications/${id}/attachments/dropped`, { kind, path }),
  deleteAttachment: (id: number, attachmentID: number) =>
    call<object>('DELETE', `/api/applications/${id}/attachments/${attachmentID}`),
  attachmentContent: (id: number, attachmentID: number) =>
    download(`/api/applications/${id}/attachments/${attachmentID}/content`),
  /** Desktop: opens the attachment with the system's viewer. */
  openAttachment: (id: number, attachmentID: number) =>
    call<object>('POST', `/api/applications/${id}/attachments/${attachmentID}/open`),

  batches: (kind: BatchKind) => call<Batch[]>('GET', `/api/batches${query({ kind })}`),
  batch: (id: number) => call<BatchDetail>('GET', `/api/batches/${id}`),
  createBatch: (input: NewBatch) => call<Batch>('POST', '/api/batches', input),
  updateBatchContact: (id: number, contact: BatchContact) => call<Batch>('PUT', `/api/batches/${id}/contact`, contact),
  cancelBatch: (id: number) => call<object>('POST', `/api/batches/${id}/cancel`),
  exportBatch: (id: number) => call<Job<Batch>>('POST', `/api/batches/${id}/export`),
  /** Browser: downloads the exports as a zip; desktop: saves them into a chosen folder (see keep). */
  saveBatchExports: (id: number) => keep(`/api/batches/${id}/exports`),
  /** Browser: uploads the stamped scan. */
  uploadBatchScan: (id: number, file: File) => upload<Batch>(`/api/batches/${id}/scan`, file),
  /** Desktop: takes the scan from the native file dialog; null when the user closed it. */
  chooseBatchScan: (id: number) => chosen(call<Batch>('POST', `/api/batches/${id}/scan/choose`)),
  batchScan: (id: number) => download(`/api/batches/${id}/scan/content`),
  submitBatch: (id: number, password: string) => call<Job<Batch>>('POST', `/api/batches/${id}/submit`, { password }),
  /** Browser: downloads the submission package; desktop: saves it where the user says (see keep). */
  saveBatchPackage: (id: number) => keep(`/api/batches/${id}/package`),
  job: <T>(id: string) => call<Job<T>>('GET', `/api/jobs/${id}`),
  cancelJob: (id: string) => call<object>('POST', `/api/jobs/${id}/cancel`),

  changeTypes: () => call<ChangeType[]>('GET', '/api/change-types'),
  cardHolders: () => call<CardHolder[]>('GET', '/api/card-holders'),
  recordCard: (input: ExistingCard) => call<Card>('POST', '/api/cards', input),
  changes: (filter: ChangeFilter) =>
    call<Page<ChangeRow>>('GET', `/api/changes${query({ ...filter, state: filter.state?.join(',') })}`),
  change: (id: number) => call<ChangeDetail>('GET', `/api/changes/${id}`),
  applyChange: (input: NewChange) => call<ChangeDetail>('POST', '/api/changes', input),
  resubmitChange: (id: number, input: ChangeCorrection) => call<ChangeDetail>('PUT', `/api/changes/${id}`, input),
  decideChange: (id: number, decision: ChangeDecision) =>
    call<ChangeDetail>('POST', `/api/changes/${id}/decision`, decision),

  keys: () => call<Keys>('GET', '/api/keys'),
  /** 导出单位公钥 (see keep). */
  saveUnitKey: () => keep('/api/keys/unit'),
  setProvinceKey: (publicPEM: string) => call<SigningKey>('PUT', '/api/keys/province', { public_pem: publicPEM }),
  /** Desktop: reads the province key from a file picked in the native dialog; null when the user closed it. */
  chooseProvinceKey: () => chosen(call<SigningKey>('POST', '/api/keys/province/choose')),
  /** Browser: imports a province receipt; answers its batch, now 已办结. */
  uploadReceipt: (file: File) => upload<Batch>('/api/receipts', file),
  /** Desktop: imports the receipt picked in the native dialog; null when the user closed it. */
  chooseReceipt: () => chosen(call<Batch>('POST', '/api/receipts/choose')),

  /** 导出 of the audit log in the filter's range, as xlsx (see keep). */
  saveAudit: (filter: AuditFilter) => keep('/api/audit/export', query({ ...filter, page: undefined, page_size: undefined })),
  backups: () => call<BackupFile[]>('GET', '/api/backups'),
  backupNow: () => call<Job<BackupFile>>('POST', '/api/backups'),
  /** Browser: downloads a kept backup; desktop: saves it where the user says (see keep). */
  saveBackup: (name: string) => keep(`/api/backups/${encodeURIComponent(name)}`),
  restoreBackup: (name: string) => call<Job<{ kept: string }>>('POST', `/api/backups/${encodeURIComponent(name)}/restore`),
  /** Desktop: restores from an archive picked in the native dialog; null when the user closed it. */
  restoreChosen: () => chosen(call<Job<{ kept: string }>>('POST', '/api/restore/choose')),
  /** Desktop failure page: restores the data key from a recovery file picked in the native dialog. */
  recoverKeyAtStartup: (passphrase: string) =>
    chosen(call<{ message: string }>('POST', '/api/startup/key-recovery', { passphrase })),
  /** 导出恢复密钥: the browser downloads the file; the desktop saves it where the user says. */
  saveRecoveryKey: async (passphrase: string, confirm: string): Promise<string | null> => {
    const body = { passphrase, passphrase_confirm: confirm }
    if (isDesktop()) {
      const saved = await chosen(call<{ path: string }>('POST', '/api/keys/recovery/save', body))
      return saved && saved.path
    }
    const f = await call<{ file_name: string; content: string }>('POST', '/api/keys/recovery', body)
    downloadText(f.file_name, f.content)
    return ''
  },
}

export interface BackupFile {
  name: string
  size?: number
  at?: string
}
