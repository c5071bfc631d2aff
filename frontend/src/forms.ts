// Forms: the rules checked as the user types (mirroring the server's, from
// validate.ts), backend errors shown on the fields they are about — once,
// under the field — and anything else as a message.
import { reactive, ref, watch } from 'vue'
import { ElMessage, ElMessageBox, type FormInstance, type FormItemContext, type FormItemRule, type FormRules } from 'element-plus'
import { ApiError, type FieldErrors } from './api'

/** Shows a failed call's message; for calls with no form to show fields on. */
export function showError(err: unknown) {
  if (!(err instanceof ApiError)) {
    ElMessage.error('操作失败，请稍后重试')
    return
  }
  // Where no form shows the fields (a file refused, say), their messages say what to do.
  const fields = Object.values(err.fields)
  ElMessage.error(fields.length ? fields.join('；') : err.message)
}

/** Asks the user to confirm an action; true when they did. */
export function confirmed(message: string, title = '提示'): Promise<boolean> {
  return ElMessageBox.confirm(message, title, { type: 'warning', confirmButtonText: '确定', cancelButtonText: '取消' }).then(
    () => true,
    () => false,
  )
}

/**
 * Shows err's field messages inline and nothing else; its message as a toast
 * only when it has no field, or for the fields the form does not show
 * (shown tells which it does).
 */
function showApiError(err: unknown, shown: (field: string) => boolean, inline: (field: string, message: string) => void) {
  if (!(err instanceof ApiError) || Object.keys(err.fields).length === 0) {
    showError(err)
    return
  }
  const loose: string[] = []
  for (const [field, message] of Object.entries(err.fields)) {
    if (shown(field)) inline(field, message)
    else loose.push(message)
  }
  if (loose.length) ElMessage.error(loose.join('；'))
}

/**
 * Backend field errors for forms that bind them as :error="errors.x". The
 * fields a form shows are those its template reads from errors.
 */
export function useFieldErrors() {
  const store = reactive<FieldErrors>({})
  const read = new Set<string>()
  const errors = new Proxy(store, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key)
      return Reflect.get(target, key, receiver)
    },
  })
  function clear() {
    for (const k of Object.keys(store)) delete store[k]
  }
  /** Shows err on the form; returns nothing, so callers just await. */
  function show(err: unknown) {
    clear()
    showApiError(err, (field) => read.has(field), (field, message) => (store[field] = message))
  }
  return { errors, clear, show }
}

/** A check of a field's value: its problem in Chinese, or ''. */
type Problem = (value: never) => string

/**
 * A form rule that fails with problem(value)'s message: checked on blur for
 * what is typed, on change for what is chosen (selects, dates, radios).
 * required marks the field with the asterisk (problem itself says what is
 * missing).
 */
export function rule(problem: Problem, trigger: 'blur' | 'change' = 'blur', required = true): FormItemRule {
  return {
    required,
    trigger,
    validator: (_rule, value, callback) => {
      const p = problem(value as never)
      callback(p ? new Error(p) : undefined)
    },
  }
}

/** A server field error and the value it was about. */
interface ServerError {
  message: string
  value: string
}

/** The value at prop (a.b when nested) in model, as JSON, to compare with the value an error was about. */
function valueAt(model: object, prop: string): string {
  const v = prop.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], model)
  return JSON.stringify(v ?? null)
}

/** Swallows a failed check: its message is on the page already. */
const ignore = () => undefined

/**
 * Checks an Element Plus form (ref="formRef" :model :rules="rules") by its
 * rules, one list per prop: the local ones mirroring the server's, and the
 * server's own field errors, each shown under its field while the field
 * keeps the value it was about. A field in error is checked again on every
 * change, so its message goes as soon as it is fixed; related names, for a
 * prop, the props whose checks read it (the confirmation reads the
 * password), checked again when it changes if they were checked before.
 */
export function useFormCheck(model: object, local: Record<string, FormItemRule[]>, related: Record<string, string[]> = {}) {
  const formRef = ref<FormInstance>()
  const server = new Map<string, ServerError>()
  // On blur only: a field typed into after an error is checked in full by recheck below, while a change check of it
  // (Element Plus runs one on every keystroke) would run this rule alone and drop the message of a value still wrong.
  const fromServer: FormItemRule = {
    trigger: 'blur',
    validator: (r, value, callback) => {
      const e = server.get(String(r.field))
      callback(e && e.value === JSON.stringify(value ?? null) ? new Error(e.message) : undefined)
    },
  }
  const rules: FormRules = Object.fromEntries(Object.entries(local).map(([prop, list]) => [prop, [...list, fromServer]]))

  const fields = (): FormItemContext[] => formRef.value?.fields ?? []
  function recheck(which: (f: FormItemContext) => boolean) {
    for (const f of fields()) if (which(f)) f.validate('').catch(ignore)
  }
  watch(model, () => recheck((f) => f.validateState === 'error'), { deep: true, flush: 'post' })
  for (const [prop, dependents] of Object.entries(related)) {
    watch(
      () => valueAt(model, prop),
      () => recheck((f) => dependents.includes(f.propString) && f.validateState !== ''),
      { flush: 'post' },
    )
  }

  /** Checks every field, as the server will; false, with the messages shown, when any fails. */
  async function valid(): Promise<boolean> {
    return formRef.value ? formRef.value.validate().then(() => true, () => false) : true
  }

  /** Shows err: field messages under their fields (and only there), anything else as a message. */
  function show(err: unknown) {
    server.clear()
    const shown = new Set(fields().map((f) => f.propString))
    showApiError(err, (field) => shown.has(field), (field, message) => server.set(field, { message, value: valueAt(model, field) }))
    recheck((f) => server.has(f.propString))
  }

  /** Forgets the server's errors and hides every message (after a save, or a fresh start). */
  function clear() {
    server.clear()
    formRef.value?.clearValidate()
  }

  /** Drops the server's error on prop, which no value of the form can fix (an attachment added). */
  function drop(prop: string) {
    server.delete(prop)
    formRef.value?.clearValidate(prop)
  }

  return { formRef, rules, valid, show, clear, drop }
}
