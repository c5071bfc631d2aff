// 汇总提交: batches of card applications or expert changes, their exports,
// stamped scan and submission package, and the province's receipt.
import { call, chosen, download, keep, query, upload, type Page } from './transport'
import type { Actionable, StoredFile } from './flow'
import type { Job } from './jobs'

/** What a batch (汇总提交) carries: card applications or expert changes. */
export type BatchKind = 'card' | 'change'

export type BatchState = 'draft' | 'exported' | 'submitted' | 'closed' | 'cancelled'

/** What may be done to a batch (internal/batch Machine). */
export type BatchAction = 'edit' | 'export' | 'scan' | 'submit' | 'receipt' | 'cancel'

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
export interface Batch extends BatchContact, Actionable<BatchAction> {
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
  /** The batch's items in order; empty in a list of batches (see item_count). */
  item_ids: number[]
  item_count: number
  /** Set when the uploaded scan is one of the batch's own exported papers, never printed and stamped. */
  scan_warning?: string
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
  /** Desktop only: where the sealed package lies on this computer. */
  package_path?: string
}

export const batchesApi = {
  batches: (kind: BatchKind, ask: { page?: number; page_size?: number } = {}) =>
    call<Page<Batch>>('GET', `/api/batches${query({ kind, ...ask })}`),
  batch: (id: number) => call<BatchDetail>('GET', `/api/batches/${id}`),
  createBatch: (input: NewBatch) => call<Batch>('POST', '/api/batches', input),
  updateBatchContact: (id: number, contact: BatchContact) => call<Batch>('PUT', `/api/batches/${id}/contact`, contact),
  cancelBatch: (id: number) => call<object>('POST', `/api/batches/${id}/cancel`),
  exportBatch: (id: number) => call<Job<Batch>>('POST', `/api/batches/${id}/export`),
  /** Browser: downloads the exports as a zip; desktop: saves them into a chosen folder (see keep). */
  saveBatchExports: (id: number) => keep(`/api/batches/${id}/exports`),
  /** One exported paper's bytes: a browser shows them in a tab of their own. */
  exportContent: (id: number, fileID: number) => download(`/api/batches/${id}/exports/${fileID}/content`),
  /** Desktop: opens one exported paper with the system's viewer, to read or print. */
  openExport: (id: number, fileID: number) => call<object>('POST', `/api/batches/${id}/exports/${fileID}/open`),
  /** Browser: downloads one exported paper; desktop: saves it where the user says (see keep). */
  saveExport: (id: number, fileID: number) => keep(`/api/batches/${id}/exports/${fileID}`),
  /** Browser: uploads the stamped scan. */
  uploadBatchScan: (id: number, file: File) => upload<Batch>(`/api/batches/${id}/scan`, file),
  /** Desktop: takes the scan from the native file dialog; null when the user closed it. */
  chooseBatchScan: (id: number) => chosen(call<Batch>('POST', `/api/batches/${id}/scan/choose`)),
  batchScan: (id: number) => download(`/api/batches/${id}/scan/content`),
  submitBatch: (id: number, password: string) => call<Job<Batch>>('POST', `/api/batches/${id}/submit`, { password }),
  /** Browser: downloads the submission package; desktop: saves it where the user says (see keep). */
  saveBatchPackage: (id: number) => keep(`/api/batches/${id}/package`),
  /** Browser: imports a province receipt; answers its batch, now 已办结. */
  uploadReceipt: (file: File) => upload<Batch>('/api/receipts', file),
  /** Desktop: imports the receipt picked in the native dialog; null when the user closed it. */
  chooseReceipt: () => chosen(call<Batch>('POST', '/api/receipts/choose')),
}
