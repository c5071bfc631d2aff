// One page of 专家变动申请 with its filters, shared by the 报送专家变动
// pages. The server limits a commissioner to their own requests.
import { api, type ChangeState } from '../../api'
import { usePagedList } from '../../pagedList'

export interface ChangeFilterForm {
  name: string
  state: ChangeState | ''
}

/** A list of change requests; states limits it when the filter picks none. */
export function useChangeList(states: ChangeState[] = [], initial: Partial<ChangeFilterForm> = {}) {
  return usePagedList(
    (filter: ChangeFilterForm, ask) =>
      api.changes({ name: filter.name, state: filter.state ? [filter.state] : states, ...ask }),
    { pageSize: 10, blank: { name: '', state: '' }, initial },
  )
}
