import { createRouter, createWebHashHistory } from 'vue-router'
import { getToken } from './api'

export const router = createRouter({
  // Hash history works the same under wails:// and in a browser.
  history: createWebHashHistory(),
  routes: [
    { path: '/setup', name: 'setup', component: () => import('./views/SetupView.vue') },
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue') },
    {
      path: '/',
      component: () => import('./views/MainLayout.vue'),
      meta: { auth: true },
      children: [{ path: '', name: 'home', component: () => import('./views/HomeView.vue') }],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach((to) => {
  if (to.matched.some((r) => r.meta.auth) && !getToken()) return { name: 'login' }
  return true
})
