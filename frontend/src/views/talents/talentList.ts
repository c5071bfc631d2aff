// One page of the talents list with its filters, shared by 高层次人才 and the
// lower half of 绑定人才.
import { api, type TalentFilter } from '../../api'
import { usePagedList } from '../../pagedList'

export type TalentFilterForm = Required<Pick<TalentFilter, 'name' | 'bound'>> & { department_id: number | undefined }

export function useTalentList(blank: TalentFilterForm) {
  return usePagedList((filter: TalentFilterForm, ask) => api.talents({ ...filter, ...ask }), { pageSize: 10, blank })
}
