// First-run setup, signing in and out, the password and the unit.
import type { Card } from './changes'
import { call, chosen } from './transport'
import type { CardState } from './cards'

export type Role = 'leader' | 'commissioner' | 'talent'

export interface User {
  id: number
  role: Role
  username: string
  name: string
  status: string
  must_change_password: boolean
}

export interface SessionView {
  token?: string
  user: User
  role_label: string
  unit_name: string
  /** How long the session lasts without a request, in seconds (the server's --session-idle). */
  idle_seconds: number
}

export interface SetupStatus {
  done: boolean
  unit_name?: string
  /** Why start-up checks failed; while set the system saves nothing. */
  read_only?: string
  /** Why the data folder would not open at all (desktop failure page). */
  startup_error?: string
  /** Whether the leader's recovery key can repair it. */
  key_recovery?: boolean
  /** Why first-run setup cannot run in this data folder (an earlier installation's); shown instead of the form. */
  setup_refused?: string
  /** Whether first-run setup asks for the token the LAN server printed in its window. */
  token_required?: boolean
}

/** 用户名, 密码 and 确认密码 of a new account. */
export interface AccountInput {
  username: string
  password: string
  password_confirm: string
}

export interface SetupInput extends AccountInput {
  unit_name: string
  uscc: string
  address: string
  contact_person: string
  contact_phone: string
  leader_name: string
  mobile: string
  /** The one-time setup token the LAN server printed (not needed in the desktop window). */
  setup_token?: string
}

export interface Unit {
  id: number
  unit_name: string
  uscc: string
  address: string
  contact_person: string
  contact_phone: string
}

export interface PasswordChange {
  old_password: string
  new_password: string
  password_confirm: string
}

/** The to-do counts of 系统首页, scoped to the user's role. */
/** What 系统首页 reminds of (到期提醒 …): a count, and the day bounding the list it links to. */
export interface Reminder {
  key: ReminderKey
  label: string
  count: number
  level: 'danger' | 'warning' | 'info'
  /** YYYY-MM-DD; '' when the list needs no day. */
  date: string
}

export type ReminderKey =
  | 'staff_pending_long'
  | 'card_expired'
  | 'card_expiry30'
  | 'card_expiry90'
  | 'change_late_review'
  | 'change_late_approved'
  | 'change_late_rejected'

/** One bar or slice of a home chart: the filter value it links with, its label and count. */
export interface ChartBar {
  key: string
  label: string
  count: number
}

export interface HomeCharts {
  /** Applications by state (key: the state). */
  applications: ChartBar[]
  /** Change requests by state. */
  changes: ChartBar[]
  /** Valid cards by 二级单位 (key: its id). */
  departments: ChartBar[]
  /** Valid cards by 人才类别 (key: its name). */
  categories: ChartBar[]
  /** Applications opened each month (2026-11), the last twelve. */
  months: { month: string; count: number }[]
}

export interface HomeCounts {
  card: Record<CardState, number>
  /** Commissioners waiting for review (leader only). */
  staff_pending: number
  reminders: Reminder[]
  /** A talent's latest card; null for others and talents without one. */
  my_card: (Card & { days_left: number }) | null
}

export const sessionApi = {
  setupStatus: () => call<SetupStatus>('GET', '/api/setup'),
  runSetup: (input: SetupInput) => call<SetupStatus>('POST', '/api/setup', input),
  /** Desktop failure page: restores the data key from a recovery file picked in the native dialog. */
  recoverKeyAtStartup: (passphrase: string) =>
    chosen(call<{ message: string }>('POST', '/api/startup/key-recovery', { passphrase })),
  login: (username: string, password: string) => call<SessionView>('POST', '/api/session', { username, password }),
  session: () => call<SessionView>('GET', '/api/session'),
  logout: () => call<object>('DELETE', '/api/session'),
  changePassword: (input: PasswordChange) => call<object>('POST', '/api/password', input),
  unit: () => call<Unit>('GET', '/api/unit'),
  home: () => call<HomeCounts>('GET', '/api/home'),
  /** The leader's unit at a glance; each bar counts what its list shows under its key. */
  homeCharts: () => call<HomeCharts>('GET', '/api/home/charts'),
}
