// One page of 惠才卡申领 with its filters, shared by 补充材料, 单位负责人审核
// and 审核进度查询. The server limits each role to what it may see.
import { reactive, ref } from 'vue'
import { api, type ApplicationRow, type CardState } from '../../api'
import { showError } from '../../forms'

export const applicationPageSize = 10

export interface ApplicationFilterForm {
  name: string
  state: CardState | ''
  department_id: number | undefined
  commissioner_id: number | undefined
}

/** A list of applications; states limits it when the filter picks none. */
export function useApplicationList(initial: Partial<ApplicationFilterForm> = {}, states: CardState[] = []) {
  const blank: ApplicationFilterForm = { name: '', state: '', department_id: undefined, commissioner_id: undefined }
  const filter = reactive<ApplicationFilterForm>({ ...blank, ...initial })
  const page = ref(1)
  const items = ref<ApplicationRow[]>([])
  const total = ref(0)
  const loading = ref(false)

  async function load() {
    loading.value = true
    try {
      const res = await api.applications({
        ...filter,
        state: filter.state ? [filter.state] : states,
        page: page.value,
        page_size: applicationPageSize,
      })
      items.value = res.items
      total.value = res.total
    } catch (err) {
      showError(err)
    } finally {
      loading.value = false
    }
  }
  /** Applies the filter from the first page. */
  function search() {
    page.value = 1
    return load()
  }
  /** Clears the filter, first page. */
  function reset() {
    Object.assign(filter, blank)
    return search()
  }
  return { filter, page, items, total, loading, load, search, reset }
}
