// 惠才卡申领 as a list with its filters, shared by 补充材料, 单位负责人审核
// and 审核进度查询. The server limits each role to what it may see.
import { api, type ApplicationFilter, type CardState } from '../../api'
import { usePagedList, type ListFilterForm } from '../../pagedList'

export interface ApplicationFilterForm extends ListFilterForm {
  name: string
  id_number: string
  state: CardState | ''
  department_id: number | undefined
  from: string
  to: string
  /** Opened in this month (2026-11): a home chart's bar. */
  month: string
  commissioner_id?: number
}

/** The form every application list has; a list adds todo (待我处理) or commissioner_id. */
const blank: ApplicationFilterForm = { name: '', id_number: '', state: '', department_id: undefined, from: '', to: '', month: '' }

/** The columns the server sorts applications by (更新时间, 状态). */
const sorts = { updated_at: 'updated', state: 'state' }

/** What the API takes for a filled-in form. */
function applicationFilter(f: ApplicationFilterForm): ApplicationFilter {
  return { ...f, state: f.state ? [f.state] : undefined }
}

/** A routed list of applications, opening on blank with more (e.g. { todo: true }), with its 导出Excel. */
export function useApplicationList(more: Partial<ApplicationFilterForm> = {}) {
  const list = usePagedList((f: ApplicationFilterForm, ask) => api.applications({ ...applicationFilter(f), ...ask }), {
    blank: { ...blank, ...more },
    sorts,
    routed: true,
  })
  const save = () => api.saveApplications({ ...applicationFilter(list.filter), sort: list.sort.value })
  return { ...list, save }
}
