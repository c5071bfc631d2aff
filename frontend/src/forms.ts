// Showing backend errors on forms: field messages next to their fields,
// anything else as a message.
import { reactive } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import { ApiError, type FieldErrors } from './api'

/** Shows a failed call's message; for calls with no form to show fields on. */
export function showError(err: unknown) {
  ElMessage.error(err instanceof ApiError ? err.message : '操作失败，请稍后重试')
}

/** Asks the user to confirm an action; true when they did. */
export function confirmed(message: string, title = '提示'): Promise<boolean> {
  return ElMessageBox.confirm(message, title, { type: 'warning', confirmButtonText: '确定', cancelButtonText: '取消' }).then(
    () => true,
    () => false,
  )
}

export function useFieldErrors() {
  const errors = reactive<FieldErrors>({})
  function clear() {
    for (const k of Object.keys(errors)) delete errors[k]
  }
  /** Shows err on the form; returns nothing, so callers just await. */
  function show(err: unknown) {
    clear()
    if (err instanceof ApiError) {
      Object.assign(errors, err.fields)
      if (Object.keys(err.fields).length === 0 || err.code !== 'validation') ElMessage.error(err.message)
      else ElMessage.warning(err.message)
      return
    }
    showError(err)
  }
  return { errors, clear, show }
}
