import { createRouter, createWebHashHistory } from 'vue-router'
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
  }
}

export const router = createRouter({
  // Hash history works the same under wails:// and in a browser.
  history: createWebHashHistory(),
  routes: [
    { path: '/setup', name: 'setup', component: () => import('./views/SetupView.vue') },
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue') },
    {
      path: '/register/talent',
      name: 'register-talent',
      component: () => import('./views/register/TalentRegisterView.vue'),
    },
    {
      path: '/register/staff',
      name: 'register-staff',
      component: () => import('./views/register/StaffRegisterView.vue'),
    },
    {
      path: '/',
      component: () => import('./views/MainLayout.vue'),
      meta: { auth: true },
      children: [
        { path: '', name: 'home', component: () => import('./views/HomeView.vue') },
        {
          path: 'staff',
          name: 'staff-review',
          component: () => import('./views/accounts/StaffReviewView.vue'),
          meta: { roles: ['leader'] },
        },
        {
          path: 'talents',
          name: 'talents',
          component: () => import('./views/talents/TalentListView.vue'),
          meta: { roles: ['leader', 'commissioner'] },
        },
        {
          path: 'my',
          name: 'my-profile',
          component: () => import('./views/talents/MyProfileView.vue'),
          meta: { roles: ['talent'] },
        },
        {
          path: 'supplement',
          name: 'supplement',
          component: () => import('./views/card/SupplementListView.vue'),
          meta: { roles: ['commissioner'] },
        },
        {
          path: 'applications/:id(\\d+)/edit',
          name: 'application-edit',
          component: () => import('./views/card/ApplicationEditView.vue'),
          meta: { roles: ['commissioner'], menu: 'supplement' },
        },
        {
          path: 'unit-review',
          name: 'unit-review',
          component: () => import('./views/card/UnitReviewListView.vue'),
          meta: { roles: ['leader'] },
        },
        {
          path: 'applications/:id(\\d+)/review',
          name: 'application-review',
          component: () => import('./views/card/ApplicationReviewView.vue'),
          meta: { roles: ['leader'], menu: 'unit-review' },
        },
        {
          path: 'card-progress',
          name: 'card-progress',
          component: () => import('./views/card/CardProgressView.vue'),
        },
        {
          path: 'departments',
          name: 'departments',
          component: () => import('./views/admin/DepartmentsView.vue'),
          meta: { roles: ['leader'] },
        },
        {
          path: 'talent-options',
          name: 'talent-options',
          component: () => import('./views/admin/TalentOptionsView.vue'),
          meta: { roles: ['leader'] },
        },
        {
          path: 'audit',
          name: 'audit',
          component: () => import('./views/admin/AuditView.vue'),
          meta: { roles: ['leader'] },
        },
        {
          path: 'card-batch',
          name: 'card-batch',
          component: () => import('./views/batch/PendingBatchView.vue'),
          props: { kind: 'card' },
          meta: { roles: ['leader'] },
        },
        {
          path: 'changes/apply',
          name: 'change-apply',
          component: () => import('./views/change/ChangeApplyView.vue'),
          meta: { roles: ['commissioner'] },
        },
        {
          path: 'changes/review',
          name: 'change-review',
          component: () => import('./views/change/ChangeReviewView.vue'),
          meta: { roles: ['leader'] },
        },
        {
          path: 'changes/batch',
          name: 'change-batch',
          component: () => import('./views/batch/PendingBatchView.vue'),
          props: { kind: 'change' },
          meta: { roles: ['leader'] },
        },
        {
          path: 'changes/progress',
          name: 'change-progress',
          component: () => import('./views/change/ChangeProgressView.vue'),
          meta: { roles: ['leader', 'commissioner'] },
        },
        {
          path: 'card-holders',
          name: 'card-holders',
          component: () => import('./views/change/CardHoldersView.vue'),
          meta: { roles: ['leader', 'commissioner'] },
        },
        {
          // Any kind's batch; its list page is the route '<kind>-batch'.
          path: 'batches/:id(\\d+)',
          name: 'batch',
          component: () => import('./views/batch/BatchView.vue'),
          meta: { roles: ['leader'] },
        },
        {
          path: 'province',
          name: 'province',
          component: () => import('./views/batch/ProvinceView.vue'),
          meta: { roles: ['leader'] },
        },
        {
          path: 'security',
          name: 'security',
          component: () => import('./views/security/DataSecurityView.vue'),
          meta: { roles: ['leader'] },
        },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  if (!to.matched.some((r) => r.meta.auth)) return true
  if (!getToken()) return { name: 'login' }
  if (!session.view) {
    try {
      await loadSession()
    } catch (err) {
      // An expired session says why on the login page.
      const reason = err instanceof ApiError && err.status === 401 ? err.message : undefined
      return { name: 'login', query: reason ? { reason } : {} }
    }
  }
  const roles = to.meta.roles
  if (roles && session.view && !roles.includes(session.view.user.role)) return { name: 'home' }
  return true
})
