import { createApp, nextTick } from 'vue'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import 'element-plus/dist/index.css'
import './style.css'
import App from './App.vue'
import { router } from './router'
import { handleUnauthorized } from './api'
import { clearSession, session } from './session'

// A page in use stays, with its unsaved input, under the sign-in overlay
// (SessionGuard); before one is open, the router sends the user to sign in.
handleUnauthorized((err) => {
  if (session.view && router.currentRoute.value.matched.some((r) => r.meta.auth)) session.ended = err.message
  else clearSession()
})

// Element Plus names its locale zh-cn; dayjs's zh-cn, loaded above, starts its date pickers' weeks on Monday.
dayjs.locale('zh-cn')
createApp(App).use(ElementPlus, { locale: zhCn }).use(router).mount('#app')

// The splash in index.html stays until the first page is on screen.
router
  .isReady()
  .then(nextTick)
  .finally(() => document.getElementById('splash')?.remove())
