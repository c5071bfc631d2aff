// Wording shared by the 惠才卡申领 pages: states, the 补充材料 fields and
// the attachment groups.
import type { AttachmentKind, CardState, Materials } from '../../api'

/**
 * Every state in workflow order, named as Go's StateLabels name it (card.test.ts holds them to it),
 * for the 状态 filter; rows carry their own as state_label.
 */
export const cardStateLabels: Record<CardState, string> = {
  supplement: '待补充材料',
  unit_review: '待单位审核',
  unit_approved: '单位审核通过',
  returned: '退回修改',
  batched: '已汇总提交',
  province_review: '省级审核中',
  issued: '已制卡',
  province_rejected: '省级不通过',
}

const tagTypes: Record<CardState, 'primary' | 'success' | 'warning' | 'danger' | 'info'> = {
  supplement: 'warning',
  unit_review: 'primary',
  unit_approved: 'success',
  returned: 'danger',
  batched: 'primary',
  province_review: 'primary',
  issued: 'success',
  province_rejected: 'danger',
}

/** The colour of a state's tag in lists. */
export function stateTagType(state: CardState) {
  return tagTypes[state] ?? 'info'
}

export interface MaterialField {
  key: keyof Materials
  label: string
  max: number
}

/** The 补充材料 fields in form order, with the server's length limits. */
export const materialFields: MaterialField[] = [
  { key: 'highest_education', label: '最高学历', max: 20 },
  { key: 'highest_degree', label: '最高学位', max: 20 },
  { key: 'school_major', label: '毕业院校及专业', max: 100 },
  { key: 'professional_title', label: '专业技术职务（职称）', max: 50 },
  { key: 'current_position', label: '现任职务', max: 50 },
  { key: 'field', label: '从事专业领域', max: 100 },
  { key: 'title_document', label: '人才称号批准文件及文号', max: 200 },
  { key: 'achievements', label: '主要业绩与贡献', max: 2000 },
  { key: 'postal_address', label: '通讯地址', max: 200 },
  { key: 'postal_code', label: '邮政编码', max: 6 },
]

/** An empty set of materials, for forms before the application has loaded. */
export function emptyMaterials(): Materials {
  return Object.fromEntries(materialFields.map((f) => [f.key, ''])) as unknown as Materials
}

export interface AttachmentGroup {
  kind: AttachmentKind
  label: string
  /** The label with what the form asks for. */
  title: string
  /** Several files are usual. */
  multiple: boolean
}

export const attachmentGroups: AttachmentGroup[] = [
  { kind: 'id_scan', label: '证件扫描件', title: '证件扫描件（必传）', multiple: false },
  { kind: 'title_proof', label: '人才称号证明材料', title: '人才称号证明材料（必传）', multiple: false },
  { kind: 'other', label: '其他证明材料', title: '其他证明材料（可多份）', multiple: true },
]
