// 批量导入: a sheet of talents (高层次人才) or of the cards they already hold
// (持卡人才) — the template, the check of an upload, the import, the error report.
import { call, chosen, keep, upload } from './transport'

/** Which list a sheet is imported into. */
export type ImportKind = 'talents' | 'card-holders'

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

const base = (kind: ImportKind) => `/api/${kind}/import`

export const importsApi = {
  /** Browser: downloads the kind's template; desktop: saves it where the user says (see keep). */
  saveImportTemplate: (kind: ImportKind) => keep(`${base(kind)}/template`),
  /** Browser: uploads a filled sheet and answers the check of every row. */
  uploadImport: (kind: ImportKind, file: File) => upload<ImportPreview>(base(kind), file),
  /** Desktop: the sheet picked in the native dialog, checked; null when the user closed it. */
  chooseImport: (kind: ImportKind) => chosen(call<ImportPreview>('POST', `${base(kind)}/choose`)),
  /** Imports the checked upload's good rows (mode 'all': only when every row is good). */
  commitImport: (kind: ImportKind, id: string, mode: ImportMode) =>
    call<ImportResult>('POST', `${base(kind)}/${id}/commit`, { mode }),
  /** The uploaded sheet with its 错误说明 column (see keep). */
  saveImportReport: (kind: ImportKind, id: string) => keep(`${base(kind)}/${id}/report`),
}
