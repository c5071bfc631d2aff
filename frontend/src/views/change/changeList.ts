// One page of 专家变动申请 with its filters, shared by the 报送专家变动
// pages. The server limits a commissioner to their own requests.
import { reactive, ref } from 'vue'
import { api, type ChangeRow, type ChangeState } from '../../api'
import { showError } from '../../forms'

export const changePageSize = 10

export interface ChangeFilterForm {
  name: string
  state: ChangeState | ''
}

/** A list of change requests; states limits it when the filter picks none. */
export function useChangeList(states: ChangeState[] = [], initial: Partial<ChangeFilterForm> = {}) {
  const blank: ChangeFilterForm = { name: '', state: '' }
  const filter = reactive<ChangeFilterForm>({ ...blank, ...initial })
  const page = ref(1)
  const items = ref<ChangeRow[]>([])
  const total = ref(0)
  const loading = ref(false)

  async function load() {
    loading.value = true
    try {
      const res = await api.changes({
        name: filter.name,
        state: filter.state ? [filter.state] : states,
        page: page.value,
        page_size: changePageSize,
      })
      // The last row of a later page went away (撤回, 删除, 审核): show the page before.
      if (!res.items.length && res.total > 0 && page.value > 1) {
        page.value = Math.ceil(res.total / changePageSize)
        return load()
      }
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
  /** The 序号 of the row at index i on this page. */
  function rowNumber(i: number) {
    return (page.value - 1) * changePageSize + i + 1
  }
  return { filter, page, items, total, loading, load, search, reset, rowNumber }
}
