import { describe, expect, it, vi } from 'vitest'
import { queryState, sortParam, stateQuery, tableSort, usePagedList } from './pagedList'

vi.mock('./forms', () => ({ showError: vi.fn() }))

const keys = { updated_at: 'updated', state: 'state' }

describe('sorting by a column', () => {
  it('maps a column sort to the server key, - first for descending', () => {
    expect(sortParam({ prop: 'updated_at', order: 'ascending' }, keys)).toBe('updated')
    expect(sortParam({ prop: 'updated_at', order: 'descending' }, keys)).toBe('-updated')
    expect(sortParam({ prop: 'state', order: null }, keys)).toBe('')
    expect(sortParam({ prop: 'name', order: 'ascending' }, keys)).toBe('')
  })

  it('shows a server sort on its column, and nothing for the list\'s own order', () => {
    expect(tableSort('-updated', keys)).toEqual({ prop: 'updated_at', order: 'descending' })
    expect(tableSort('state', keys)).toEqual({ prop: 'state', order: 'ascending' })
    expect(tableSort('', keys)).toBeUndefined()
    expect(tableSort('-nope', keys)).toBeUndefined()
  })
})

describe('a list in the route query', () => {
  const blank = { todo: true, name: '', department_id: undefined as number | undefined, from: '' }

  it('names only what differs from the opening state', () => {
    expect(stateQuery({ filter: { ...blank }, page: 1, size: 10, sort: '' }, blank, 10)).toEqual({})
    const q = stateQuery(
      { filter: { todo: false, name: '王', department_id: 3, from: '2026-01-02' }, page: 2, size: 50, sort: '-updated' },
      blank,
      10,
    )
    expect(q).toEqual({ todo: '0', name: '王', department_id: '3', from: '2026-01-02', page: '2', size: '50', sort: '-updated' })
  })

  it('reads back what it wrote, typed like the blank filter', () => {
    const filter = { todo: false, name: '12', department_id: 3, from: '2026-01-02' }
    const state = { filter, page: 2, size: 50, sort: '-updated' }
    expect(queryState(stateQuery(state, blank, 10), blank, 10)).toEqual(state)
  })

  it('ignores what it cannot use: other names, a bad page, an unoffered size', () => {
    const s = queryState({ page: '-1', size: '30', department_id: 'x', other: 'y', state: 'returned' }, blank, 10)
    expect(s).toEqual({ filter: blank, page: 1, size: 10, sort: '' })
    expect(queryState({ todo: '0', page: '3', size: '100' }, blank, 10)).toEqual({
      filter: { ...blank, todo: false },
      page: 3,
      size: 100,
      sort: '',
    })
  })
})

describe('usePagedList', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => i)

  it('asks for the page, size and sort, and starts again at page 1 on a new sort', async () => {
    const fetch = vi.fn(async () => ({ items: rows(10), total: 45, page_size: 10 }))
    const list = usePagedList(fetch, { blank: { name: '' }, sorts: keys })
    list.page.value = 3
    list.pageSize.value = 20
    await list.load()
    expect(fetch).toHaveBeenLastCalledWith({ name: '' }, { page: 3, page_size: 20 })
    await list.sortBy({ prop: 'updated_at', order: 'descending' })
    expect(fetch).toHaveBeenLastCalledWith({ name: '' }, { page: 1, page_size: 20, sort: '-updated' })
    expect(list.rowNumber(0)).toBe(1)
    expect(list.total.value).toBe(45)
  })

  it('shows the last page when the one asked for is past the end', async () => {
    const fetch = vi.fn(async (_: object, ask: { page: number }) =>
      ask.page > 3 ? { items: [], total: 25, page_size: 10 } : { items: rows(5), total: 25, page_size: 10 },
    )
    const list = usePagedList(fetch, { blank: {} })
    list.page.value = 9
    await list.load()
    expect(list.page.value).toBe(3)
    expect(list.items.value).toHaveLength(5)
  })

  it('keeps the answer of the latest load only', async () => {
    const answers: ((v: { items: number[]; total: number; page_size: number }) => void)[] = []
    const fetch = vi.fn(() => new Promise<{ items: number[]; total: number; page_size: number }>((r) => answers.push(r)))
    const list = usePagedList(fetch, { blank: {} })
    const first = list.load()
    const second = list.load()
    answers[1]({ items: [2], total: 1, page_size: 10 })
    answers[0]({ items: [1], total: 1, page_size: 10 })
    await Promise.all([first, second])
    expect(list.items.value).toEqual([2])
  })

  it('resets to the blank filter with overrides, keeping the sort', async () => {
    const fetch = vi.fn(async () => ({ items: [], total: 0, page_size: 10 }))
    const list = usePagedList(fetch, { blank: { todo: true, name: '' }, sorts: keys })
    list.filter.name = '李'
    list.sort.value = 'state'
    await list.reset({ todo: false })
    expect(list.filter).toEqual({ todo: false, name: '' })
    expect(fetch).toHaveBeenLastCalledWith({ todo: false, name: '' }, { page: 1, page_size: 10, sort: 'state' })
  })
})
