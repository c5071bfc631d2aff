// One page of 惠才卡申领 with its filters, shared by 补充材料, 单位负责人审核
// and 审核进度查询. The server limits each role to what it may see.
import { api, type CardState } from '../../api'
import { usePagedList } from '../../pagedList'

export interface ApplicationFilterForm {
  name: string
  state: CardState | ''
  department_id: number | undefined
  commissioner_id: number | undefined
}

const blank: ApplicationFilterForm = { name: '', state: '', department_id: undefined, commissioner_id: undefined }

/** A list of applications; states limits it when the filter picks none. */
export function useApplicationList(initial: Partial<ApplicationFilterForm> = {}, states: CardState[] = []) {
  return usePagedList(
    (filter: ApplicationFilterForm, ask) =>
      api.applications({ ...filter, state: filter.state ? [filter.state] : states, ...ask }),
    { pageSize: 10, blank, initial },
  )
}
