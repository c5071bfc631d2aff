// The talents as a list with its filters, shared by 高层次人才 and the lower
// half of 绑定人才.
import { api } from '../../api'
import { usePagedList, type ListFilterForm } from '../../pagedList'

export interface TalentFilterForm extends ListFilterForm {
  name: string
  id_number: string
  department_id: number | undefined
  /** Registration days. */
  from: string
  to: string
  bound: '' | 'bound' | 'unbound'
}

const blank: TalentFilterForm = { name: '', id_number: '', department_id: undefined, from: '', to: '', bound: '' }

/** The columns the server sorts talents by (姓名, 所在二级单位, 注册时间). */
const sorts = { name: 'name', department_id: 'department', created_at: 'created' }

/** A list of talents opening on blank with more, kept in the route when routed, with its 导出Excel. */
export function useTalentList(more: Partial<TalentFilterForm> = {}, routed = false) {
  const list = usePagedList((f: TalentFilterForm, ask) => api.talents({ ...f, ...ask }), {
    blank: { ...blank, ...more },
    sorts,
    routed,
  })
  const save = () => api.saveTalents({ ...list.filter, sort: list.sort.value })
  return { ...list, save }
}
