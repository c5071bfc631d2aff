// Local drafts of long forms (补充材料, 专家变动申请): what the user typed and
// has not saved is kept in localStorage, per user and per record, so a crash,
// a reload or an ended session loses nothing. A draft is offered back when
// its form opens again and dropped once the form is saved. Passwords are
// never kept.
import { watch } from 'vue'
import { ElMessageBox } from 'element-plus'
import { formatDateTime } from './format'
import { session } from './session'

const prefix = 'huicai.draft.'

/** A kept draft: the form's fields and when they were written (ms since the epoch). */
export interface Draft<T> {
  savedAt: number
  data: T
}

/** Where user userId's draft of the form named name is kept. */
export function draftKey(userId: number, name: string): string {
  return `${prefix}${userId}.${name}`
}

/** data without fields that hold passwords. */
function withoutPasswords<T extends object>(data: T): T {
  return Object.fromEntries(Object.entries(data).filter(([k]) => !/password|passphrase/i.test(k))) as T
}

/** Keeps data as the draft under key. */
export function writeDraft<T extends object>(key: string, data: T, store: Storage = localStorage, now = Date.now()) {
  try {
    store.setItem(key, JSON.stringify({ savedAt: now, data: withoutPasswords(data) }))
  } catch {
    // Storage full or off: the page still works, only without a draft.
  }
}

/** The draft under key, or null for none (or one that cannot be read). */
export function readDraft<T>(key: string, store: Storage = localStorage): Draft<T> | null {
  try {
    const d = JSON.parse(store.getItem(key) ?? 'null')
    return d && typeof d.savedAt === 'number' && d.data && typeof d.data === 'object' ? d : null
  } catch {
    return null
  }
}

/** Drops the draft under key. */
export function dropDraft(key: string, store: Storage = localStorage) {
  store.removeItem(key)
}

/** The names of user userId's drafts that start with start, newest first. */
export function draftNames(userId: number, start: string, store: Storage = localStorage): string[] {
  const own = draftKey(userId, '')
  const names: { name: string; at: number }[] = []
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i) ?? ''
    if (!key.startsWith(own + start)) continue
    const d = readDraft(key, store)
    if (d) names.push({ name: key.slice(own.length), at: d.savedAt })
  }
  return names.sort((a, b) => b.at - a.at).map((n) => n.name)
}

/** Asks whether to restore a draft written at savedAt; true for 恢复. */
function restoreAsked(savedAt: number): Promise<boolean> {
  const when = formatDateTime(new Date(savedAt).toISOString())
  return ElMessageBox.confirm(`发现未保存的草稿（${when}），是否恢复？`, '未保存的草稿', {
    type: 'info',
    confirmButtonText: '恢复',
    cancelButtonText: '丢弃',
    showClose: false,
    closeOnClickModal: false,
    closeOnPressEscape: false,
  }).then(
    () => true,
    () => false,
  )
}

/**
 * Keeps the signed-in user's unsaved changes to form as the draft named
 * name(). Call offer() once the form shows the saved record: a different
 * draft is offered back (恢复 / 丢弃), and from then on, while active(),
 * every change that differs from the record is kept. Call saved() after a
 * save, drop() when the form cannot be edited.
 */
export function useDraft<T extends object>(name: () => string, form: T, active: () => boolean = () => true) {
  let record = ''
  let offered = false
  const key = () => draftKey(session.view?.user.id ?? 0, name())
  const current = () => JSON.stringify(withoutPasswords(form))

  watch(current, (now) => {
    if (!offered || !active()) return
    if (now === record) dropDraft(key())
    else writeDraft(key(), form)
  })

  /** Offers the draft back over the record the form shows; true when it was restored. */
  async function offer(): Promise<boolean> {
    record = current()
    offered = true
    const d = readDraft<T>(key())
    if (!d || JSON.stringify(d.data) === record) {
      dropDraft(key())
      return false
    }
    if (await restoreAsked(d.savedAt)) {
      Object.assign(form, d.data)
      return true
    }
    dropDraft(key())
    return false
  }

  /** The form shows the stored record again (saved, or loaded afresh): no draft is needed. */
  function saved() {
    record = current()
    dropDraft(key())
  }

  /** The form cannot be edited (any more): its draft goes and none is kept. */
  function drop() {
    offered = false
    dropDraft(key())
  }

  return { offer, saved, drop }
}
