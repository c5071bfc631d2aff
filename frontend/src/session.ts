// The signed-in user, shared by the layout and the views.
import { reactive } from 'vue'
import { api, setToken, type SessionView } from './api'

export const session = reactive<{
  view: SessionView | null
  /** When the last call that renewed the session was sent (Date.now() time). */
  contactAt: number
  /**
   * Why the session ended while a page was open ('' while it lives). The page
   * stays, with its unsaved input, under the sign-in overlay (SessionGuard).
   */
  ended: string
}>({ view: null, contactAt: 0, ended: '' })

/** Runs call, a call that renews the session, and notes when it was sent. */
async function renewing<T>(call: () => Promise<T>): Promise<T> {
  const at = Date.now()
  const v = await call()
  session.contactAt = at
  return v
}

export async function login(username: string, password: string): Promise<SessionView> {
  const v = await renewing(() => api.login(username, password))
  setToken(v.token ?? '')
  session.view = v
  session.ended = ''
  return v
}

/** Loads the current session, or leaves it empty when there is none. */
export async function loadSession(): Promise<SessionView> {
  const v = await renewing(() => api.session())
  session.view = v
  return v
}

/** The cheapest authenticated call: it tells the server the user is still at work. */
export async function renewSession(): Promise<void> {
  await renewing(() => api.session())
}

export async function logout() {
  try {
    await api.logout()
  } finally {
    clearSession()
  }
}

export function clearSession() {
  setToken('')
  session.view = null
  session.ended = ''
}
