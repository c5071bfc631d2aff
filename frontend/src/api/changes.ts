// 报送专家变动: card holders, change types and change requests.
import { call, keepList, listQuery, query, type Page } from './transport'
import type { Actionable, FlowStep, HistoryEvent } from './flow'
import type { ApplicationDetail } from './cards'
import type { Talent } from './talents'

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
export interface CardHolder extends Card, Actionable<HolderAction> {
  name: string
  gender: string
  id_type: string
  id_number: string
  mobile: string
  department_id: number
}

/** What may be done from a row of 持卡人才: 到期重新申领 (a commissioner, the card due). */
export type HolderAction = 'renew_card'


/** Which card holders a page of 持卡人才 shows. */
export interface HolderFilter {
  /** Part of a name. */
  name?: string
  /** A whole ID number. */
  id_number?: string
  /** issued or expires; a leading - for the latest first. */
  sort?: string
  /** Cards of this standing. */
  status?: CardStatus
  /** Holders of this 人才类别. */
  category?: string
  /** Valid until a day on or after this one (YYYY-MM-DD). */
  expires_from?: string
  /** Valid until a day on or before this one. */
  expires_to?: string
  department_id?: number
  page?: number
  page_size?: number
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

/** What may be done to a change request (internal/change Machine). */
export type ChangeAction =
  | 'resubmit'
  | 'withdraw'
  | 'approve'
  | 'reject'
  | 'delete'
  | 'batch'
  | 'unbatch'
  | 'send'
  | 'accept'
  | 'refuse'

/** A change request in a list (手机号码 masked). */
export interface ChangeRow extends Actionable<ChangeAction> {
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
  /** Part of a name. */
  name?: string
  /** A whole ID number. */
  id_number?: string
  /** created, change_date or state; a leading - for newest first. */
  sort?: string
  /** Only those waiting for the viewer (待我处理). */
  todo?: boolean
  /** Of the talents of this 二级单位. */
  department_id?: number
  /** Changing (变动时间) on or after this day (YYYY-MM-DD). */
  from?: string
  /** Changing on or before this day. */
  to?: string
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

export interface ChangeRequest extends Actionable<ChangeAction> {
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
  history: HistoryEvent[]
  flow: FlowStep[]
}

/** 通过 / 不通过 (with 不通过原因) / 删除 by the leader, 撤回 by the commissioner. */
export interface ChangeDecision {
  version: number
  action: 'approve' | 'reject' | 'delete' | 'withdraw'
  reason?: string
}

export const changesApi = {
  changeTypes: () => call<ChangeType[]>('GET', '/api/change-types'),
  cardHolders: (filter: HolderFilter = {}) => call<Page<CardHolder>>('GET', `/api/card-holders${query(filter)}`),
  /** 导出Excel of the card holders the filter selects (see keepList). */
  saveCardHolders: (filter: HolderFilter) => keepList('/api/card-holders', filter),
  recordCard: (input: ExistingCard) => call<Card>('POST', '/api/cards', input),
  /** 到期重新申领: the next application of a talent whose card is due. */
  renewCard: (talentID: number) => call<ApplicationDetail>('POST', `/api/talents/${talentID}/renew-card`),
  changes: (filter: ChangeFilter) => call<Page<ChangeRow>>('GET', `/api/changes${listQuery(filter)}`),
  /** 导出Excel of the change requests the filter selects (see keepList). */
  saveChanges: (filter: ChangeFilter) => keepList('/api/changes', filter),
  change: (id: number) => call<ChangeDetail>('GET', `/api/changes/${id}`),
  applyChange: (input: NewChange) => call<ChangeDetail>('POST', '/api/changes', input),
  resubmitChange: (id: number, input: ChangeCorrection) => call<ChangeDetail>('PUT', `/api/changes/${id}`, input),
  decideChange: (id: number, decision: ChangeDecision) =>
    call<ChangeDetail>('POST', `/api/changes/${id}/decision`, decision),
}
