// 服务专员审核 and 绑定人才: commissioner accounts and the talents bound to them.
import { call, query, type Page } from './transport'
import type { Role } from './session'
import type { RevealField, Talent } from './talents'

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
  /** True after a password reset, until the commissioner chooses a new one. */
  must_change_password: boolean
}

export interface StaffPage extends Page<Staff> {
  counts: Record<StaffStatus, number>
}

/** Which commissioners a tab of 服务专员审核 shows. */
export interface StaffFilter {
  /** Part of a name or username. */
  name?: string
  page?: number
  page_size?: number
}

export type StaffAction = 'approve' | 'reject' | 'disable' | 'enable'

export const staffApi = {
  staffList: (tab: StaffTab, filter: StaffFilter = {}) => call<StaffPage>('GET', `/api/staff${query({ tab, ...filter })}`),
  staff: (id: number) => call<Staff>('GET', `/api/staff/${id}`),
  revealStaff: (id: number, field: RevealField) => call<{ value: string }>('POST', `/api/staff/${id}/reveal`, { field }),
  decideStaff: (id: number, action: StaffAction, reason = '') =>
    call<Staff>('POST', `/api/staff/${id}/decision`, { action, reason }),
  resetStaffPassword: (id: number) => call<{ password: string }>('POST', `/api/staff/${id}/password-reset`),
  staffTalents: (id: number, page: number, pageSize: number) =>
    call<Page<Talent>>('GET', `/api/staff/${id}/talents${query({ page, page_size: pageSize })}`),
  bindTalents: (id: number, talentIDs: number[]) =>
    call<{ bound: number }>('POST', `/api/staff/${id}/talents`, { talent_ids: talentIDs }),
  unbindTalent: (talentID: number) => call<object>('DELETE', `/api/talents/${talentID}/binding`),
}
