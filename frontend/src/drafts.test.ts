import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, nextTick, reactive, ref } from 'vue'
import { mount } from '@vue/test-utils'
import { ElMessageBox } from 'element-plus'
import { draftKey, draftNames, dropDraft, readDraft, useDraft, writeDraft } from './drafts'
import { session } from './session'

const user = { id: 7, role: 'commissioner', username: 'zy', name: '赵专员', status: 'active', must_change_password: false } as const

beforeEach(() => {
  localStorage.clear()
  session.view = { user, role_label: '服务专员', unit_name: '山东大学', idle_seconds: 900 }
})
afterEach(() => {
  session.view = null
  vi.restoreAllMocks()
})

describe('the draft store', () => {
  it('keeps a draft per user and record, and never a password', () => {
    writeDraft(draftKey(7, 'application-3'), { field: '物理', password: 'Secret@1', old_passphrase: 'x' }, localStorage, 42)
    expect(readDraft(draftKey(7, 'application-3'))).toEqual({ savedAt: 42, data: { field: '物理' } })
    expect(readDraft(draftKey(8, 'application-3'))).toBeNull()
    expect(readDraft(draftKey(7, 'application-4'))).toBeNull()
    expect(localStorage.getItem(draftKey(7, 'application-3'))).not.toContain('Secret')
    dropDraft(draftKey(7, 'application-3'))
    expect(readDraft(draftKey(7, 'application-3'))).toBeNull()
  })

  it('reads an unreadable draft as none', () => {
    localStorage.setItem(draftKey(7, 'a'), '{not json')
    localStorage.setItem(draftKey(7, 'b'), '{"savedAt":"soon","data":{}}')
    expect(readDraft(draftKey(7, 'a'))).toBeNull()
    expect(readDraft(draftKey(7, 'b'))).toBeNull()
  })

  it('lists a user’s drafts of a kind, newest first', () => {
    writeDraft(draftKey(7, 'change-new'), { a: 1 }, localStorage, 1)
    writeDraft(draftKey(7, 'change-12'), { a: 2 }, localStorage, 2)
    writeDraft(draftKey(7, 'application-1'), { a: 3 }, localStorage, 3)
    writeDraft(draftKey(17, 'change-5'), { a: 4 }, localStorage, 4)
    expect(draftNames(7, 'change-')).toEqual(['change-12', 'change-new'])
  })
})

/** useDraft inside a mounted component over a small form, as a page uses it. */
function mounted(active = () => true) {
  const form = reactive({ field: '', achievements: '' })
  const name = ref('application-3')
  let draft!: ReturnType<typeof useDraft>
  mount(
    defineComponent({
      setup() {
        draft = useDraft(() => name.value, form, active)
        return () => null
      },
    }),
  )
  return { form, name, draft, key: draftKey(7, 'application-3') }
}

/** Answers the 恢复 / 丢弃 question with restore. */
function answer(restore: boolean) {
  return vi.spyOn(ElMessageBox, 'confirm').mockImplementation(() => (restore ? Promise.resolve() : Promise.reject('cancel')) as never)
}

describe('useDraft', () => {
  it('keeps unsaved changes once offered, drops them when the form is back to the record, and on save', async () => {
    const { form, draft, key } = mounted()
    form.field = '物理' // the record loading: not a draft yet
    await nextTick()
    expect(readDraft(key)).toBeNull()
    expect(await draft.offer()).toBe(false)
    form.achievements = '主持国家重点研发计划'
    await nextTick()
    expect(readDraft(key)?.data).toEqual({ field: '物理', achievements: '主持国家重点研发计划' })
    form.achievements = ''
    await nextTick()
    expect(readDraft(key)).toBeNull()
    form.achievements = '已保存的内容'
    await nextTick()
    draft.saved()
    expect(readDraft(key)).toBeNull()
    await nextTick()
    expect(readDraft(key)).toBeNull()
  })

  it('offers a draft back and restores it on 恢复', async () => {
    const asked = answer(true)
    writeDraft(draftKey(7, 'application-3'), { field: '化学', achievements: '草稿' }, localStorage, 5)
    const { form, draft, key } = mounted()
    form.field = '物理'
    expect(await draft.offer()).toBe(true)
    expect(asked.mock.calls[0][0]).toMatch(/^发现未保存的草稿（\d{4}-\d\d-\d\d \d\d:\d\d:\d\d），是否恢复？$/)
    expect(form).toEqual({ field: '化学', achievements: '草稿' })
    await nextTick()
    expect(readDraft(key)?.data).toEqual({ field: '化学', achievements: '草稿' })
  })

  it('drops a draft on 丢弃, and one that equals the record without asking', async () => {
    const asked = answer(false)
    const { form, draft, key } = mounted()
    writeDraft(key, { field: '化学', achievements: '' })
    expect(await draft.offer()).toBe(false)
    expect(form.field).toBe('')
    expect(readDraft(key)).toBeNull()
    writeDraft(key, { field: '', achievements: '' })
    expect(await draft.offer()).toBe(false)
    expect(asked).toHaveBeenCalledTimes(1)
    expect(readDraft(key)).toBeNull()
  })

  it('keeps nothing while inactive or after drop()', async () => {
    const open = ref(false)
    const { form, draft, key } = mounted(() => open.value)
    await draft.offer()
    form.field = '打开前的清空'
    await nextTick()
    expect(readDraft(key)).toBeNull()
    open.value = true
    form.field = '化学'
    await nextTick()
    expect(readDraft(key)).not.toBeNull()
    draft.drop()
    expect(readDraft(key)).toBeNull()
    form.field = '生物'
    await nextTick()
    expect(readDraft(key)).toBeNull()
  })
})
