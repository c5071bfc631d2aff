// One page of a server-side list with its filter form, page size and sort:
// what every list page shares (talents, applications, change requests, card
// holders, commissioners, the pending items of 汇总提交, the 审计日志). The
// caller says how to fetch a page for a filter; the server filters, sorts
// and pages. A routed list keeps its state in the route's query, so a
// reload (or a link from 系统首页) shows the same rows.
import { reactive, ref, type Ref } from 'vue'
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router'
import type { Page } from './api'
import { showError } from './forms'

/** The page sizes a user may pick; the server gives at most 100 rows a page. */
export const pageSizes = [10, 20, 50, 100]

/** Which page to fetch, as the list endpoints take it; sort is a server key, - first for descending. */
export interface PageAsk {
  page: number
  page_size: number
  sort?: string
}

/**
 * The filter fields the lists share (ListFilters shows those a list's form
 * has): 待我处理, part of a name, a whole ID number, a state, a 二级单位 and a
 * range of days (YYYY-MM-DD, '' for open).
 */
export interface ListFilterForm {
  todo?: boolean
  name?: string
  id_number?: string
  state?: string
  department_id?: number
  from?: string
  to?: string
}

/** What an empty list adds while 待我处理 is on: how to see the rest. */
export const todoHint = '（取消勾选“待我处理”可查看全部）'

/** A table's sort as Element Plus's sort-change reports it. */
export interface TableSort {
  prop: string
  order: 'ascending' | 'descending' | null
}

/** The sortable columns of a table: each column's prop and the server's sort key for it. */
export type SortKeys = Record<string, string>

/** The server's sort for a table's sort: 'key', '-key', or '' (the list's own order) for none or an unknown column. */
export function sortParam({ prop, order }: TableSort, keys: SortKeys): string {
  const key = keys[prop]
  if (!key || !order) return ''
  return order === 'descending' ? `-${key}` : key
}

/** The table's sort that shows the server's sort; undefined for the list's own order. */
export function tableSort(sort: string, keys: SortKeys): TableSort | undefined {
  const key = sort.replace(/^-/, '')
  const prop = Object.keys(keys).find((p) => keys[p] === key)
  if (!sort || !prop) return undefined
  return { prop, order: sort.startsWith('-') ? 'descending' : 'ascending' }
}

/** Where a list is: its filter, page, page size and sort. */
export interface ListState<F extends object> {
  filter: F
  page: number
  size: number
  sort: string
}

const empty = (v: unknown) => v === undefined || v === null || v === ''

/** A filter value in a query: booleans as 1 and 0, nothing as ''. */
const encode = (v: unknown): string => (typeof v === 'boolean' ? (v ? '1' : '0') : empty(v) ? '' : String(v))

/** A query value as a filter value of the same kind as like (blank's): text, a switch, else a whole number. */
function decode(raw: string, like: unknown): unknown {
  if (typeof like === 'boolean') return raw === '1'
  if (typeof like === 'string') return raw
  const n = Number(raw)
  return Number.isInteger(n) && n > 0 ? n : undefined
}

/**
 * The query that names state: what differs from a list opening on blank, on
 * page 1 of size rows, in its own order. Reserved names: page, size, sort.
 */
export function stateQuery<F extends object>(state: ListState<F>, blank: F, size: number): Record<string, string> {
  const q: Record<string, string> = {}
  for (const [k, v] of Object.entries(state.filter)) {
    const was = (blank as Record<string, unknown>)[k]
    if (v !== was && !(empty(v) && empty(was))) q[k] = encode(v)
  }
  if (state.page > 1) q.page = String(state.page)
  if (state.size !== size) q.size = String(state.size)
  if (state.sort) q.sort = state.sort
  return q
}

/** The state a query names, over a list opening on blank with size rows a page; what it does not name stays. */
export function queryState<F extends object>(query: LocationQuery, blank: F, size: number): ListState<F> {
  const text = (name: string) => {
    const v = query[name]
    return typeof v === 'string' ? v : undefined
  }
  const filter = { ...blank } as Record<string, unknown>
  for (const [k, like] of Object.entries(blank)) {
    const raw = text(k)
    if (raw !== undefined) filter[k] = decode(raw, like)
  }
  const page = Number(text('page'))
  const rows = Number(text('size'))
  return {
    filter: filter as F,
    page: Number.isInteger(page) && page > 0 ? page : 1,
    size: pageSizes.includes(rows) ? rows : size,
    sort: text('sort') ?? '',
  }
}

export interface PagedListOptions<F extends object> {
  /** The filter the list opens with, and that 重置 goes back to. */
  blank: F
  /** Rows a page when the list opens (10 by default); the user picks among pageSizes. */
  pageSize?: number
  /** The columns the server sorts by (see SortKeys). */
  sorts?: SortKeys
  /** Keep the filter, page, size and sort in the route's query. */
  routed?: boolean
}

/**
 * Writes a routed list's state into its route's query (replacing, so no
 * history entry), unless the user has left the page by then.
 */
function routeWriter<F extends object>(blank: F, size: number) {
  const route = useRoute()
  const router = useRouter()
  const name = route.name
  return {
    opening: queryState(route.query, blank, size),
    write(state: ListState<F>) {
      const now = router.currentRoute.value
      const query: LocationQueryRaw = stateQuery(state, blank, size)
      if (now.name !== name || JSON.stringify(now.query) === JSON.stringify(query)) return
      router.replace({ name, params: now.params, query })
    },
  }
}

/** A paged list: fetch answers one page of rows for the filter, sorted and sized as asked. */
export function usePagedList<T, F extends object>(
  fetch: (filter: F, ask: PageAsk) => Promise<Page<T>>,
  { blank, pageSize: size = 10, sorts = {}, routed = false }: PagedListOptions<F>,
) {
  const where = routed ? routeWriter(blank, size) : undefined
  const opening = where?.opening ?? { filter: blank, page: 1, size, sort: '' }
  const filter = reactive({ ...opening.filter }) as F
  const page = ref(opening.page)
  const pageSize = ref(opening.size)
  const sort = ref(opening.sort)
  const items = ref([]) as Ref<T[]>
  const total = ref(0)
  const loading = ref(false)
  let loads = 0

  async function load(): Promise<void> {
    const mine = ++loads
    loading.value = true
    try {
      const ask: PageAsk = { page: page.value, page_size: pageSize.value, ...(sort.value && { sort: sort.value }) }
      const res = await fetch(filter, ask)
      if (mine !== loads) return // a later load's answer wins
      // Past the end (the last rows went away, or a page number from the route): show the last page.
      if (!res.items.length && res.total > 0 && page.value > 1) {
        page.value = Math.ceil(res.total / pageSize.value)
        return load()
      }
      items.value = res.items
      total.value = res.total
      where?.write({ filter, page: page.value, size: pageSize.value, sort: sort.value })
    } catch (err) {
      if (mine === loads) showError(err)
    } finally {
      if (mine === loads) loading.value = false
    }
  }
  /** Applies the filter from the first page. */
  function search() {
    page.value = 1
    return load()
  }
  /** Back to the blank filter (with overrides), first page; the sort stays. */
  function reset(overrides: Partial<F> = {}) {
    Object.assign(filter, blank, overrides)
    return search()
  }
  /** Sorts by what the table's sort-change says, from the first page. */
  function sortBy(s: TableSort) {
    sort.value = sortParam(s, sorts)
    return search()
  }
  /** The 序号 of the row at index i on this page. */
  function rowNumber(i: number) {
    return (page.value - 1) * pageSize.value + i + 1
  }
  /** The sort the table shows when it opens (its default-sort). */
  const defaultSort = tableSort(sort.value, sorts)
  return { filter, page, pageSize, sort, items, total, loading, load, search, reset, sortBy, rowNumber, defaultSort }
}
