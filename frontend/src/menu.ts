// The left menu, laid out as in the province's system. An entry appears only
// for the roles that may use it, and only once its page exists (a route name).
import { markRaw, type Component } from 'vue'
import { Files, HomeFilled, Postcard, Setting } from '@element-plus/icons-vue'
import type { Role } from './api'

export interface MenuEntry {
  title: string
  route?: string
  roles: Role[]
  children?: MenuEntry[]
  /** What stands for a top-level entry when the menu is collapsed. */
  icon?: Component
}

const all: Role[] = ['leader', 'commissioner', 'talent']

export const menu: MenuEntry[] = [
  { title: '系统首页', route: 'home', roles: all, icon: markRaw(HomeFilled) },
  {
    title: '惠才卡申领',
    roles: all,
    icon: markRaw(Postcard),
    children: [
      { title: '服务专员审核', route: 'staff-review', roles: ['leader'] },
      { title: '高层次人才', route: 'talents', roles: ['leader', 'commissioner'] },
      { title: '补充材料', route: 'supplement', roles: ['commissioner'] },
      { title: '单位负责人审核', route: 'unit-review', roles: ['leader'] },
      { title: '惠才卡汇总提交', route: 'card-batch', roles: ['leader'] },
      { title: '审核进度查询', route: 'card-progress', roles: all },
      { title: '我的信息', route: 'my-profile', roles: ['talent'] },
    ],
  },
  {
    title: '报送专家变动',
    roles: ['leader', 'commissioner'],
    icon: markRaw(Files),
    children: [
      { title: '专家变动申请', route: 'change-apply', roles: ['commissioner'] },
      { title: '专家变动汇总审核', route: 'change-review', roles: ['leader'] },
      { title: '变动汇总提交', route: 'change-batch', roles: ['leader'] },
      { title: '审核进度查询', route: 'change-progress', roles: ['leader', 'commissioner'] },
      { title: '持卡人才', route: 'card-holders', roles: ['leader', 'commissioner'] },
    ],
  },
  {
    title: '系统管理',
    roles: ['leader'],
    icon: markRaw(Setting),
    children: [
      { title: '二级单位管理', route: 'departments', roles: ['leader'] },
      { title: '人才类别与称号', route: 'talent-options', roles: ['leader'] },
      { title: '审计日志', route: 'audit', roles: ['leader'] },
      { title: '省级对接', route: 'province', roles: ['leader'] },
      { title: '数据安全', route: 'security', roles: ['leader'] },
    ],
  },
]

/** The entries a role sees: allowed to it and built (a route, or children that survive). */
export function menuFor(role: Role, entries: MenuEntry[] = menu): MenuEntry[] {
  const out: MenuEntry[] = []
  for (const e of entries) {
    if (!e.roles.includes(role)) continue
    if (e.children) {
      const children = menuFor(role, e.children)
      if (children.length) out.push({ ...e, children })
    } else if (e.route) {
      out.push(e)
    }
  }
  return out
}
