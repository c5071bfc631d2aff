// The signed-in user, shared by the layout and the views.
import { reactive } from 'vue'
import { api, setToken, type SessionView } from './api'

export const session = reactive<{ view: SessionView | null }>({ view: null })

export async function login(username: string, password: string) {
  const v = await api.login(username, password)
  setToken(v.token ?? '')
  session.view = v
}

/** Loads the current session, or leaves it empty when there is none. */
export async function loadSession(): Promise<SessionView> {
  const v = await api.session()
  session.view = v
  return v
}

export async function logout() {
  try {
    await api.logout()
  } finally {
    setToken('')
    session.view = null
  }
}

export function clearSession() {
  setToken('')
  session.view = null
}
