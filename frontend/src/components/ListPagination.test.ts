import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import ListPagination from './ListPagination.vue'

/** A pager on page of total rows, 10 a page; sized: the parent keeps the size (v-model:page-size). */
function pager(total: number, page: number, sized = true) {
  return mount(ListPagination, {
    props: { total, pageSize: 10, modelValue: page, ...(sized && { 'onUpdate:pageSize': () => undefined }) },
    global: { plugins: [[ElementPlus, { locale: zhCn }]] },
  })
}

describe('ListPagination', () => {
  it('says 共N页, the rows shown and 共N条, like the province system', () => {
    expect(pager(12, 2).find('.list-pagination__info').text()).toBe('共2页 11-12 共12条')
    expect(pager(5, 1).find('.list-pagination__info').text()).toBe('共1页 1-5 共5条')
    expect(pager(0, 1).find('.list-pagination__info').text()).toBe('共1页 0-0 共0条')
  })

  it('offers 10/20/50/100 a page and 前往 … 页 where the parent keeps the size', () => {
    const w = pager(25, 1)
    expect(w.find('.el-pagination__sizes').exists()).toBe(true)
    expect(w.find('.el-pagination__jump').text()).toContain('前往')
    expect(w.find('.el-pagination__jump').text()).toContain('页')
    expect(pager(25, 1, false).find('.el-pagination__sizes').exists()).toBe(false)
  })

  it('says when the user moves to another page', async () => {
    const w = pager(25, 1)
    const numbers = w.findAll('.el-pager li')
    expect(numbers.map((n) => n.text())).toEqual(['1', '2', '3'])
    await numbers[2].trigger('click')
    expect(w.emitted('update:modelValue')?.[0]).toEqual([3])
    expect(w.emitted('change')?.[0]).toEqual([3])
  })

  it('goes to the page typed into 前往', async () => {
    const w = pager(45, 1)
    const input = w.find('.el-pagination__jump input')
    await input.setValue('4')
    await input.trigger('change')
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual([4])
    expect(w.emitted('change')?.at(-1)).toEqual([4])
  })

  it('starts again at page 1 with a new page size', async () => {
    const w = pager(45, 3)
    w.findComponent({ name: 'ElPagination' }).vm.$emit('update:page-size', 20)
    await w.vm.$nextTick()
    expect(w.emitted('update:pageSize')?.[0]).toEqual([20])
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual([1])
    expect(w.emitted('change')).toEqual([[1]])
  })
})
