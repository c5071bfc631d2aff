import { createRouter, createWebHashHistory, type RouteLocationRaw } from 'vue-router'
import { ApiError, getToken, type Role } from './api'
import { loadSession, session } from './session'

declare module 'vue-router' {
  interface RouteMeta {
    /** Needs a signed-in user. */
    auth?: boolean
    /** The roles that may open the page; others are sent to 系统首页. Unset: every role. */
    roles?: Role[]
    /** The route whose menu entry is highlighted, for pages opened from a list. Unset: the page's own. */
    menu?: string
    /** Where the page is, as the window's title says it (the menu entry's label). */
    title?: string
  }
}

export const router = createRouter({
  // Hash history works the same under wails:// and in a browser.
  history: createWebHashHistory(),
  // A new page opens at its top; back and forward return to where the page was.
  scrollBehavior: (to, from, saved) => saved ?? (to.path === from.path ? false : { top: 0 }),
  routes: [
    { path: '/setup', name: 'setup', meta: { title: '首次设置' }, component: () => import('./views/SetupView.vue') },
    { path: '/login', name: 'login', meta: { title: '登录' }, component: () => import('./views/LoginView.vue') },
    {
      path: '/register/talent',
      name: 'register-talent',
      component: () => import('./views/register/TalentRegisterView.vue'),
      meta: { title: '高层次人才注册' },
    },
    {
      path: '/register/staff',
      name: 'register-staff',
      component: () => import('./views/register/StaffRegisterView.vue'),
      meta: { title: '审核用户注册' },
    },
    {
      path: '/',
      component: () => import('./views/MainLayout.vue'),
      meta: { auth: true },
      children: [
        { path: '', name: 'home', meta: { title: '系统首页' }, component: () => import('./views/HomeView.vue') },
        {
          path: 'staff',
          name: 'staff-review',
          component: () => import('./views/accounts/StaffReviewView.vue'),
          meta: { title: '服务专员审核', roles: ['leader'] },
        },
        {
          path: 'talents',
          name: 'talents',
          component: () => import('./views/talents/TalentListView.vue'),
          meta: { title: '高层次人才', roles: ['leader', 'commissioner'] },
        },
        {
          path: 'my',
          name: 'my-profile',
          component: () => import('./views/talents/MyProfileView.vue'),
          meta: { title: '我的信息', roles: ['talent'] },
        },
        {
          path: 'supplement',
          name: 'supplement',
          component: () => import('./views/card/SupplementListView.vue'),
          meta: { title: '补充材料', roles: ['commissioner'] },
        },
        {
          path: 'applications/:id(\\d+)/edit',
          name: 'application-edit',
          component: () => import('./views/card/ApplicationEditView.vue'),
          meta: { title: '补充材料', roles: ['commissioner'], menu: 'supplement' },
        },
        {
          path: 'unit-review',
          name: 'unit-review',
          component: () => import('./views/card/UnitReviewListView.vue'),
          meta: { title: '单位负责人审核', roles: ['leader'] },
        },
        {
          path: 'applications/:id(\\d+)/review',
          name: 'application-review',
          component: () => import('./views/card/ApplicationReviewView.vue'),
          meta: { title: '单位负责人审核', roles: ['leader'], menu: 'unit-review' },
        },
        {
          path: 'card-progress',
          name: 'card-progress',
          component: () => import('./views/card/CardProgressView.vue'),
          meta: { title: '审核进度查询' },
        },
        {
          path: 'departments',
          name: 'departments',
          component: () => import('./views/admin/DepartmentsView.vue'),
          meta: { title: '二级单位管理', roles: ['leader'] },
        },
        {
          path: 'talent-options',
          name: 'talent-options',
          component: () => import('./views/admin/TalentOptionsView.vue'),
          meta: { title: '人才类别与称号', roles: ['leader'] },
        },
        {
          path: 'audit',
          name: 'audit',
          component: () => import('./views/admin/AuditView.vue'),
          meta: { title: '审计日志', roles: ['leader'] },
        },
        {
          path: 'card-batch',
          name: 'card-batch',
          component: () => import('./views/batch/PendingBatchView.vue'),
          props: { kind: 'card' },
          meta: { title: '惠才卡汇总提交', roles: ['leader'] },
        },
        {
          path: 'changes/apply',
          name: 'change-apply',
          component: () => import('./views/change/ChangeApplyView.vue'),
          meta: { title: '专家变动申请', roles: ['commissioner'] },
        },
        {
          path: 'changes/review',
          name: 'change-review',
          component: () => import('./views/change/ChangeReviewView.vue'),
          meta: { title: '专家变动汇总审核', roles: ['leader'] },
        },
        {
          path: 'changes/batch',
          name: 'change-batch',
          component: () => import('./views/batch/PendingBatchView.vue'),
          props: { kind: 'change' },
          meta: { title: '变动汇总提交', roles: ['leader'] },
        },
        {
          path: 'changes/progress',
          name: 'change-progress',
          component: () => import('./views/change/ChangeProgressView.vue'),
          meta: { title: '审核进度查询', roles: ['leader', 'commissioner'] },
        },
        {
          path: 'card-holders',
          name: 'card-holders',
          component: () => import('./views/change/CardHoldersView.vue'),
          meta: { title: '持卡人才', roles: ['leader', 'commissioner'] },
        },
        {
          // Any kind's batch; its list page is the route '<kind>-batch'.
          path: 'batches/:id(\\d+)',
          name: 'batch',
          component: () => import('./views/batch/BatchView.vue'),
          meta: { title: '汇总提交', roles: ['leader'] },
        },
        {
          path: 'province',
          name: 'province',
          component: () => import('./views/batch/ProvinceView.vue'),
          meta: { title: '省级对接', roles: ['leader'] },
        },
        {
          path: 'security',
          name: 'security',
          component: () => import('./views/security/DataSecurityView.vue'),
          meta: { title: '数据安全', roles: ['leader'] },
        },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

/** The sign-in page, coming back to path afterwards, saying why (reason) when given. */
export function loginRoute(path: string, reason?: string): RouteLocationRaw {
  const query: Record<string, string> = {}
  if (reason) query.reason = reason
  if (path !== '/') query.redirect = path
  return { name: 'login', query }
}

router.beforeEach(async (to) => {
  if (!to.matched.some((r) => r.meta.auth)) return true
  // The page under the sign-in overlay keeps its unsaved input: it stays until the user signs in again.
  if (session.ended) return false
  if (!getToken()) return loginRoute(to.fullPath)
  if (!session.view) {
    try {
      await loadSession()
    } catch (err) {
      // An expired session says why on the login page.
      const reason = err instanceof ApiError && err.status === 401 ? err.message : undefined
      return loginRoute(to.fullPath, reason)
    }
  }
  const roles = to.meta.roles
  if (roles && session.view && !roles.includes(session.view.user.role)) return { name: 'home' }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 惠才通` : '惠才通'
})
