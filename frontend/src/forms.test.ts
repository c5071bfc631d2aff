import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick, reactive } from 'vue'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElForm, ElFormItem, ElInput, ElMessage } from 'element-plus'
import { ApiError } from './api'
import { rule, showError, useFieldErrors, useFormCheck } from './forms'
import { mobileProblem } from './validate'

vi.mock('element-plus', async (original) => {
  const ep = await original<typeof import('element-plus')>()
  return { ...ep, ElMessage: Object.assign(vi.fn(), { error: vi.fn(), warning: vi.fn() }) }
})

afterEach(() => vi.clearAllMocks())

const invalid = (fields: Record<string, string>) => new ApiError(400, 'validation', '提交的信息有误，请按提示修改', fields)

/** A form with a mobile (checked on blur) and a user name (the server's only), using useFormCheck. */
function checkedForm() {
  let check!: ReturnType<typeof useFormCheck>
  const form = reactive({ mobile: '', username: '' })
  const Form = defineComponent(() => {
    check = useFormCheck(form, { mobile: [rule(mobileProblem)], username: [] })
    return () =>
      h(ElForm, { ref: check.formRef, model: form, rules: check.rules }, () => [
        h(ElFormItem, { prop: 'mobile', label: '手机号码' }, () => h(ElInput, { modelValue: form.mobile, 'onUpdate:modelValue': (v: string) => (form.mobile = v) })),
        h(ElFormItem, { prop: 'username', label: '用户名' }, () => h(ElInput, { modelValue: form.username })),
      ])
  })
  const w = mount(Form, { global: { plugins: [ElementPlus] }, attachTo: document.body })
  return { w, form, check: () => check }
}

/** The messages shown under the form's fields, after Element Plus's 100 ms debounce. */
async function messages(w: ReturnType<typeof mount>) {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 150))
  return w.findAll('.el-form-item__error').map((e) => e.text())
}

describe('useFormCheck', () => {
  it('shows a local rule on validation, and drops it as soon as the field is fixed', async () => {
    const { w, form, check } = checkedForm()
    form.mobile = '123'
    expect(await check().valid()).toBe(false)
    expect(await messages(w)).toEqual(['手机号码应为以1开头的11位数字'])
    form.mobile = '13800138000'
    expect(await messages(w)).toEqual([])
  })

  it('shows server field errors only inline, until the value changes; others as one message', async () => {
    const { w, form, check } = checkedForm()
    form.mobile = '13800138000'
    form.username = 'taken'
    check().show(invalid({ username: '该用户名已被注册，请换一个', kind: '汇总提交类型不正确' }))
    expect(await messages(w)).toEqual(['该用户名已被注册，请换一个'])
    expect(ElMessage.error).toHaveBeenCalledWith('汇总提交类型不正确')
    expect(ElMessage.warning).not.toHaveBeenCalled()
    expect(await check().valid()).toBe(false) // the same value is refused again without asking
    form.username = 'free'
    await nextTick()
    expect(await check().valid()).toBe(true)
    expect(await messages(w)).toEqual([])
  })

  it('shows errors without fields as a message', async () => {
    const { check } = checkedForm()
    check().show(new ApiError(409, 'conflict', '信息已在别处被修改'))
    expect(ElMessage.error).toHaveBeenCalledWith('信息已在别处被修改')
  })
})

describe('useFieldErrors', () => {
  it('puts the fields the template reads inline, without a message, and the rest in one', () => {
    const { errors, show } = useFieldErrors()
    void errors.contact_person // what a template binding does
    show(invalid({ contact_person: '请填写联系人', path: '无法写入所选文件夹' }))
    expect(errors.contact_person).toBe('请填写联系人')
    expect(ElMessage.error).toHaveBeenCalledWith('无法写入所选文件夹')
    expect(ElMessage.warning).not.toHaveBeenCalled()
  })
})

describe('showError', () => {
  it('says what the fields say where no form shows them (a file refused), else the message', () => {
    showError(invalid({ file: '这是旧版 Excel 文件（.xls），请另存为 .xlsx' }))
    expect(ElMessage.error).toHaveBeenCalledWith('这是旧版 Excel 文件（.xls），请另存为 .xlsx')
    showError(new ApiError(409, 'conflict', '另一项批量导入正在进行'))
    expect(ElMessage.error).toHaveBeenLastCalledWith('另一项批量导入正在进行')
  })
})
