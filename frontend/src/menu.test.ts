import { describe, expect, it } from 'vitest'
import { menu, menuFor, type MenuEntry } from './menu'
import { router } from './router'

/** A role's menu as 'group/entry' paths. */
function titles(entries: MenuEntry[]): string[] {
  return entries.flatMap((e) => (e.children ? e.children.map((c) => `${e.title}/${c.title}`) : [e.title]))
}

describe('menuFor', () => {
  it('shows only built entries, by role', () => {
    expect(titles(menuFor('leader'))).toEqual([
      '系统首页',
      '惠才卡申领/服务专员审核',
      '惠才卡申领/高层次人才',
      '惠才卡申领/单位负责人审核',
      '惠才卡申领/惠才卡汇总提交',
      '惠才卡申领/审核进度查询',
      '报送专家变动/专家变动汇总审核',
      '报送专家变动/变动汇总提交',
      '报送专家变动/审核进度查询',
      '报送专家变动/持卡人才',
      '系统管理/二级单位管理',
      '系统管理/人才类别与称号',
      '系统管理/审计日志',
      '系统管理/省级对接',
      '系统管理/数据安全',
    ])
    expect(titles(menuFor('commissioner'))).toEqual([
      '系统首页',
      '惠才卡申领/高层次人才',
      '惠才卡申领/补充材料',
      '惠才卡申领/审核进度查询',
      '报送专家变动/专家变动申请',
      '报送专家变动/审核进度查询',
      '报送专家变动/持卡人才',
    ])
    expect(titles(menuFor('talent'))).toEqual(['系统首页', '惠才卡申领/审核进度查询', '惠才卡申领/我的信息'])
  })

  it('keeps a group only when one of its entries is built for the role', () => {
    const entries: MenuEntry[] = [
      {
        title: '报送专家变动',
        roles: ['leader', 'commissioner'],
        children: [
          { title: '专家变动申请', route: 'change-apply', roles: ['commissioner'] },
          { title: '专家变动汇总审核', route: 'change-review', roles: ['leader'] },
          { title: '审核进度查询', roles: ['leader', 'commissioner'] },
        ],
      },
    ]
    expect(menuFor('commissioner', entries)[0].children?.map((e) => e.title)).toEqual(['专家变动申请'])
    expect(menuFor('leader', entries)[0].children?.map((e) => e.title)).toEqual(['专家变动汇总审核'])
    expect(menuFor('talent', entries)).toEqual([])
  })

  it('links only to routes that exist and are open to the same roles', () => {
    const routed = menu.flatMap((e) => e.children ?? [e]).filter((e) => e.route)
    expect(routed.length).toBeGreaterThan(0)
    for (const e of routed) {
      expect(router.hasRoute(e.route!), e.route).toBe(true)
      const roles = router.resolve({ name: e.route }).meta.roles ?? ['leader', 'commissioner', 'talent']
      expect([...roles].sort(), e.route).toEqual([...e.roles].sort())
    }
  })

  it('names every page as its menu entry does, for the window title and the breadcrumb', () => {
    for (const r of router.getRoutes().filter((r) => r.name)) expect(r.meta.title, String(r.name)).toBeTruthy()
    for (const e of menu.flatMap((e) => e.children ?? [e]).filter((e) => e.route)) {
      expect(router.resolve({ name: e.route }).meta.title, e.route).toBe(e.title)
    }
    // A page opened from a list is named as the list is.
    for (const r of router.getRoutes().filter((r) => r.meta.menu)) {
      expect(r.meta.title, String(r.name)).toBe(router.resolve({ name: r.meta.menu }).meta.title)
    }
  })
})
