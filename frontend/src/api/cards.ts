// 惠才卡申领: applications, their materials and attachments, and the unit's review.
import { call, download, keepList, listQuery, query, upload, type Page } from './transport'
import type { Actionable, FlowStep, HistoryEvent, StoredFile } from './flow'
import type { Talent } from './talents'

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

/** What may be done to an application (internal/card/state.go Machine). */
export type CardAction =
  | 'save'
  | 'edit_profile'
  | 'submit'
  | 'approve'
  | 'reject'
  | 'batch'
  | 'unbatch'
  | 'send'
  | 'issue'
  | 'refuse'
  | 'renew'

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

export interface Application extends Materials, Actionable<CardAction> {
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
export interface ApplicationRow extends Actionable<CardAction> {
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
  /** Part of a name. */
  name?: string
  /** A whole ID number. */
  id_number?: string
  /** updated or state; a leading - for latest first. */
  sort?: string
  /** Only those waiting for the viewer (待我处理). */
  todo?: boolean
  /** Last changed on or after this day (YYYY-MM-DD). */
  from?: string
  /** Last changed on or before this day. */
  to?: string
  /** Opened in this month (2026-11, China time). */
  month?: string
  department_id?: number
  commissioner_id?: number
  page?: number
  page_size?: number
}

export type AttachmentKind = 'id_scan' | 'title_proof' | 'other'

export interface Attachment {
  id: number
  kind: AttachmentKind
  kind_label: string
  file: StoredFile
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
  reject_reason: string
}

/** The leader's 审核结果 and 审核意见. */
export interface ReviewDecision {
  version: number
  result: 'approve' | 'reject'
  opinion: string
}

export const cardsApi = {
  applications: (filter: ApplicationFilter) => call<Page<ApplicationRow>>('GET', `/api/applications${listQuery(filter)}`),
  /** 导出Excel of the applications the filter selects (see keepList). */
  saveApplications: (filter: ApplicationFilter) => keepList('/api/applications', filter),
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
}
