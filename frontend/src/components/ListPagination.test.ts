import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import ListPagination from './ListPagination.vue'

function pager(total: number, page: number) {
  return mount(ListPagination, {
    props: { total, pageSize: 10, modelValue: page },
    global: { plugins: [ElementPlus] },
  })
}

describe('ListPagination', () => {
  it('shows the pages, then 共N页 and the rows shown of 共N条, like the province system', () => {
    expect(pager(12, 2).find('.list-pagination__info').text()).toBe('共2页 11-12 共12条')
    expect(pager(5, 1).find('.list-pagination__info').text()).toBe('共1页 1-5 共5条')
    expect(pager(0, 1).find('.list-pagination__info').text()).toBe('共1页 0-0 共0条')
  })

  it('says when the user moves to another page', async () => {
    const w = pager(25, 1)
    const numbers = w.findAll('.el-pager li')
    expect(numbers.map((n) => n.text())).toEqual(['1', '2', '3'])
    await numbers[2].trigger('click')
    expect(w.emitted('update:modelValue')?.[0]).toEqual([3])
    expect(w.emitted('change')?.[0]).toEqual([3])
  })
})
