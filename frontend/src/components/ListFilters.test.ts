import { describe, expect, it } from 'vitest'
import { reactive } from 'vue'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import ListFilters from './ListFilters.vue'
import type { ListFilterForm } from '../pagedList'

function bar(filter: ListFilterForm, props: Record<string, unknown> = {}) {
  return mount(ListFilters, { props: { filter, ...props }, global: { plugins: [ElementPlus] } })
}

describe('ListFilters', () => {
  it('shows the fields the form has, and the ones given their options', () => {
    const labels = (w: ReturnType<typeof bar>) => w.findAll('.el-form-item__label').map((l) => l.text())
    expect(labels(bar({ name: '' }))).toEqual(['姓名'])
    const all = bar(
      { todo: true, name: '', id_number: '', state: '', department_id: undefined, from: '', to: '' },
      { states: { returned: '退回修改' }, departments: [{ id: 1, name: '物理学院', active: true }], dates: '更新时间' },
    )
    expect(labels(all)).toEqual(['姓名', '证件号码', '状态', '二级单位', '更新时间'])
    expect(all.find('[data-field="todo"]').text()).toBe('待我处理')
  })

  it('searches at once when 待我处理 changes, on 查询, and resets on 重置', async () => {
    const filter = reactive({ todo: true, name: '' })
    const w = bar(filter)
    await w.find('[data-field="todo"] input').setValue(false)
    expect(filter.todo).toBe(false)
    expect(w.emitted('search')).toHaveLength(1)
    await w.find('form').trigger('submit')
    expect(w.emitted('search')).toHaveLength(2)
    const reset = w.findAll('button').find((b) => b.text() === '重置')
    await reset?.trigger('click')
    expect(w.emitted('reset')).toHaveLength(1)
  })
})
