// One page of a server-side list with its filter form: what every list
// page shares (talents, applications, change requests, the pending items
// of 汇总提交, the 审计日志). The caller says how to fetch a page for a filter.
import { reactive, ref, type Ref } from 'vue'
import type { Page } from './api'
import { showError } from './forms'

/** Which page to fetch, as the list endpoints take it. */
export interface PageAsk {
  page: number
  page_size: number
}

export interface PagedListOptions<F extends object> {
  /** Rows a page. */
  pageSize: number
  /** The empty filter that reset goes back to. */
  blank: F
  /** The filter the list opens with (e.g. from the route); blank when unset. */
  initial?: Partial<F>
}

/** A paged list: fetch answers one page of rows for the filter. */
export function usePagedList<T, F extends object>(
  fetch: (filter: F, ask: PageAsk) => Promise<Page<T>>,
  { pageSize, blank, initial = {} }: PagedListOptions<F>,
) {
  const filter = reactive({ ...blank, ...initial }) as F
  const page = ref(1)
  const items = ref([]) as Ref<T[]>
  const total = ref(0)
  const loading = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    try {
      const res = await fetch(filter, { page: page.value, page_size: pageSize })
      // The last row of a later page went away (撤回, 删除, 审核): show the page before.
      if (!res.items.length && res.total > 0 && page.value > 1) {
        page.value = Math.ceil(res.total / pageSize)
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
  /** Back to the blank filter, first page. */
  function reset() {
    Object.assign(filter, blank)
    return search()
  }
  /** The 序号 of the row at index i on this page. */
  function rowNumber(i: number) {
    return (page.value - 1) * pageSize + i + 1
  }
  return { filter, page, items, total, loading, pageSize, load, search, reset, rowNumber }
}
