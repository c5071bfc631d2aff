// Wording shared by the 报送专家变动 pages: the states of a change request,
// and when a card runs out.
import type { ChangeState } from '../../api'
import { formatDate } from '../../format'

/**
 * Every state in workflow order, named as Go's StateLabels name it (change.test.ts holds them to it),
 * for the 状态 filter; rows carry their own as state_label.
 */
export const changeStateLabels: Record<ChangeState, string> = {
  unit_review: '待单位审核',
  rejected: '审核不通过',
  approved: '审核通过',
  withdrawn: '已撤回',
  deleted: '已删除（单位负责人删除）',
  batched: '已汇总提交',
  province_review: '省级审核中',
  accepted: '省级审核通过',
  province_rejected: '省级不通过',
}

const tagTypes: Record<ChangeState, 'primary' | 'success' | 'warning' | 'danger' | 'info'> = {
  unit_review: 'primary',
  rejected: 'danger',
  approved: 'success',
  withdrawn: 'info',
  deleted: 'info',
  batched: 'primary',
  province_review: 'primary',
  accepted: 'success',
  province_rejected: 'danger',
}

/** The colour of a state's tag in lists. */
export function changeStateTagType(state: ChangeState) {
  return tagTypes[state] ?? 'info'
}

/** The day a card issued on issuedOn ('YYYY-MM-DD') expires: the day before its fifth anniversary. */
export function cardExpiry(issuedOn: string): string {
  const [y, m, d] = issuedOn.split('-').map(Number)
  return formatDate(new Date(y + 5, m - 1, d - 1))
}
