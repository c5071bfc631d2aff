import { createRouter, createWebHashHistory } from 'vue-router'
import { ApiError, getToken, type Role } from './api'
import { loadSession, session } from './session'

declare module 'vue-router' {
  interface RouteMeta {
    /** Needs a signed-in user. */
    auth?: boolean
    /** The roles that may open the page; others are sent to 系统首页. Unset: every role. */
    roles?: Role[]
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
