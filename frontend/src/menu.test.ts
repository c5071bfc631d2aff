import { describe, expect, it } from 'vitest'
import { menuFor, type MenuEntry } from './menu'

describe('menuFor', () => {
  it('shows only built entries, by role', () => {
    for (const role of ['leader', 'commissioner', 'talent'] as const) {
      expect(menuFor(role).map((e) => e.title)).toEqual(['系统首页'])
    }
  })

  it('keeps a group only when one of its entries is built for the role', () => {
    const entries: MenuEntry[] = [
      {
        title: '报送专家变动',
        roles: ['leader', 'commissioner'],
        children: [
          { title: '专家变动申请', route: 'changes', roles: ['commissioner'] },
          { title: '专家变动汇总审核', route: 'change-review', roles: ['leader'] },
          { title: '审核进度查询', roles: ['leader', 'commissioner'] },
        ],
      },
    ]
    expect(menuFor('commissioner', entries)[0].children?.map((e) => e.title)).toEqual(['专家变动申请'])
    expect(menuFor('leader', entries)[0].children?.map((e) => e.title)).toEqual(['专家变动汇总审核'])
    expect(menuFor('talent', entries)).toEqual([])
  })
})
