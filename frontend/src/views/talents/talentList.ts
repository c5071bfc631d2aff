// One page of the talents list with its filters, shared by 高层次人才 and the
// lower half of 绑定人才.
import { reactive, ref } from 'vue'
import { api, type Talent, type TalentFilter } from '../../api'
import { showError } from '../../forms'

export const talentPageSize = 10

export type TalentFilterForm = Required<Pick<TalentFilter, 'name' | 'bound'>> & { department_id: number | undefined }

export function useTalentList(initial: TalentFilterForm) {
  const filter = reactive<TalentFilterForm>({ ...initial })
  const page = ref(1)
  const items = ref<Talent[]>([])
  const total = ref(0)
  const loading = ref(false)

  async function load() {
    loading.value = true
    try {
      const res = await api.talents({ ...filter, page: page.value, page_size: talentPageSize })
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
  /** Back to the initial filter, first page. */
  function reset() {
    Object.assign(filter, initial)
    return search()
  }
  return { filter, page, items, total, loading, load, search, reset }
}
