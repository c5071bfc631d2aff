// 专家变动申请 as a list with its filters, shared by the 报送专家变动 pages.
// The server limits a commissioner to their own requests.
import { api, type ChangeFilter, type ChangeState } from '../../api'
import { usePagedList, type ListFilterForm } from '../../pagedList'

export interface ChangeFilterForm extends ListFilterForm {
  name: string
  id_number: string
  state: ChangeState | ''
  department_id: number | undefined
  from: string
  to: string
}

/** The form every change list has; a list adds todo (待我处理). */
const blank: ChangeFilterForm = { name: '', id_number: '', state: '', department_id: undefined, from: '', to: '' }

/** The columns the server sorts change requests by (申请时间, 变动时间, 状态). */
const sorts = { created_at: 'created', change_date: 'change_date', state: 'state' }

/** What the API takes for a filled-in form. */
function changeFilter(f: ChangeFilterForm): ChangeFilter {
  return { ...f, state: f.state ? [f.state] : undefined }
}

/** A routed list of change requests, opening on blank with more (e.g. { todo: true }), with its 导出Excel. */
export function useChangeList(more: Partial<ChangeFilterForm> = {}) {
  const list = usePagedList((f: ChangeFilterForm, ask) => api.changes({ ...changeFilter(f), ...ask }), {
    blank: { ...blank, ...more },
    sorts,
    routed: true,
  })
  const save = () => api.saveChanges({ ...changeFilter(list.filter), sort: list.sort.value })
  return { ...list, save }
}
