import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ReviewFlow from './ReviewFlow.vue'

describe('ReviewFlow', () => {
  it('draws the steps in order by status, with who and when for finished ones, and the legend', () => {
    process.env.TZ = 'Asia/Shanghai'
    const w = mount(ReviewFlow, {
      props: {
        steps: [
          { name: '服务专员提交', status: 'done', at: '2026-03-01T02:00:00Z', by: '刘专员' },
          { name: '单位负责人审核', status: 'done', at: '2026-03-02T02:00:00Z', by: '李四', opinion: '同意' },
          { name: '单位汇总提交', status: 'current' },
          { name: '省级审核', status: 'todo' },
        ],
      },
    })
    const steps = w.findAll('.flow-step')
    expect(steps.map((s) => s.find('.flow-step__name').text())).toEqual(['服务专员提交', '单位负责人审核', '单位汇总提交', '省级审核'])
    expect(steps.map((s) => s.classes().find((c) => c.startsWith('flow-step--')))).toEqual([
      'flow-step--done',
      'flow-step--done',
      'flow-step--current',
      'flow-step--todo',
    ])
    expect(steps[1].text()).toContain('办理时间：2026-03-02 10:00:00')
    expect(steps[1].text()).toContain('办理人：李四')
    expect(steps[1].text()).toContain('意见：同意')
    expect(steps[0].find('.flow-step__opinion').exists()).toBe(false)
    expect(steps[2].find('.flow-step__meta').exists()).toBe(false)
    expect(w.find('.flow-legend').text()).toBe(
      '蓝色字体代表该步骤已经完成；红色字体代表该步骤正在办理；黑色字体表示该步骤尚未办理',
    )
  })
})
