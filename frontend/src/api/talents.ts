// 高层次人才: the talents list, one talent, and the talent's own 我的信息.
import { call, chosen, keep, keepList, query, upload, type Page } from './transport'

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

/** The talent's own profile, with whether they may still change it. */
export interface MyTalent extends Talent {
  /** False once their application has gone to the leader. */
  editable: boolean
  /** Why the profile cannot change ('' while editable). */
  locked_reason: string
}

export interface TalentFilter {
  /** Part of a name. */
  name?: string
  /** A whole ID number. */
  id_number?: string
  /** 'none': only talents holding no valid card (登记已有惠才卡). */
  card?: 'none'
  /** name, department or created; a leading - for descending. */
  sort?: string
  department_id?: number
  bound?: '' | 'bound' | 'unbound'
  /** Registered on or after this day (YYYY-MM-DD). */
  from?: string
  /** Registered on or before this day. */
  to?: string
  page?: number
  page_size?: number
}

/** The personal fields the server masks and reveals one at a time. */
export type RevealField = 'id_number' | 'mobile'

/** Why one row of an imported sheet cannot be imported (错误说明). */
export interface ImportProblem {
  /** The row's number in the sheet. */
  row: number
  field: string
  /** The column's header in the template; '' for the whole row. */
  column: string
  message: string
}

/** What checking an uploaded roster sheet found (批量导入's preview). */
export interface ImportPreview {
  /** Names the kept upload for the import and the error report. */
  id: string
  name: string
  rows: number
  valid: number
  /** Talents already registered: left unchanged. */
  existing: number
  invalid: number
  /** Headers no column reads: ignored. */
  extra: string[] | null
  problems: ImportProblem[]
}

/** 仅导入无误的行 or 全部无误才导入. */
export type ImportMode = 'valid' | 'all'

export interface ImportResult {
  imported: number
  existing: number
  skipped: number
  message: string
}

export const talentsApi = {
  talents: (filter: TalentFilter) => call<Page<Talent>>('GET', `/api/talents${query(filter)}`),
  /** 导出Excel of the talents the filter selects (see keepList). */
  saveTalents: (filter: TalentFilter) => keepList('/api/talents', filter),
  talent: (id: number) => call<Talent>('GET', `/api/talents/${id}`),
  revealTalent: (id: number, field: RevealField) => call<{ value: string }>('POST', `/api/talents/${id}/reveal`, { field }),
  /** Browser: downloads 高层次人才导入模板.xlsx; desktop: saves it where the user says (see keep). */
  saveImportTemplate: () => keep('/api/talents/import/template'),
  /** Browser: uploads a filled sheet and answers the check of every row. */
  uploadImport: (file: File) => upload<ImportPreview>('/api/talents/import', file),
  /** Desktop: the sheet picked in the native dialog, checked; null when the user closed it. */
  chooseImport: () => chosen(call<ImportPreview>('POST', '/api/talents/import/choose')),
  /** Imports the checked upload's good rows (mode 'all': only when every row is good). */
  commitImport: (id: string, mode: ImportMode) => call<ImportResult>('POST', `/api/talents/import/${id}/commit`, { mode }),
  /** The uploaded sheet with its 错误说明 column (see keep). */
  saveImportReport: (id: string) => keep(`/api/talents/import/${id}/report`),
  myTalent: () => call<MyTalent>('GET', '/api/my/talent'),
  /** Saves the talent's profile edited from the copy at version (409 when it changed since). */
  updateMyTalent: (profile: TalentProfile, version: number) =>
    call<Talent>('PUT', '/api/my/talent', { ...profile, version }),
}
