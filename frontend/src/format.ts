// Shared wording and formatting for what the backend sends: times, roles,
// account states.
import type { StaffStatus } from './api'

const pad = (n: number) => String(n).padStart(2, '0')

/** An RFC 3339 time from the server as local 'YYYY-MM-DD HH:mm:ss'; '' stays ''. */
export function formatDateTime(value: string): string {
  if (!value) return ''
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return value
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  )
}

/** A local calendar day as 'YYYY-MM-DD', the way date pickers and the server write dates. */
export function formatDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

const roleLabels: Record<string, string> = {
  leader: '单位负责人',
  commissioner: '服务专员',
  talent: '高层次人才',
}

/** A role as the UI names it; unknown or empty roles are shown as they are. */
export function roleLabel(role: string): string {
  return roleLabels[role] ?? role
}

const staffStatusLabels: Record<StaffStatus, string> = {
  pending: '待审核',
  active: '正常',
  rejected: '审核不通过',
  disabled: '已停用',
}

/** A commissioner account's status as the 服务专员审核 page shows it. */
export function staffStatusLabel(status: StaffStatus): string {
  return staffStatusLabels[status]
}

/** A file size in B, KB or MB. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
