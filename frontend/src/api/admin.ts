// 系统管理: 二级单位, 人才类别 and 人才称号, and the 审计日志.
import { call, keepList, query, type Page } from './transport'

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
  /** at for oldest first; newest first by default. */
  sort?: string
  page?: number
  page_size?: number
}

export interface AuditPage extends Page<AuditRow> {
  actions: string[]
}

export const adminApi = {
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
  /** 导出 of the audit log in the filter's range, as xlsx (see keepList). */
  saveAudit: (filter: AuditFilter) => keepList('/api/audit', filter),
}
