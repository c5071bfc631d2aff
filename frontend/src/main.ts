import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import './style.css'
import App from './App.vue'
import { router } from './router'
import { handleUnauthorized } from './api'
import { clearSession } from './session'

handleUnauthorized((err) => {
  clearSession()
  const current = router.currentRoute.value.name
  if (current !== 'login' && current !== 'setup') {
    router.replace({ name: 'login', query: { reason: err.message } })
  }
})

createApp(App).use(ElementPlus, { locale: zhCn }).use(router).mount('#app')
