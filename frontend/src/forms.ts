// Showing backend errors on forms: field messages next to their fields,
// anything else as a message.
import { reactive } from 'vue'
import { ElMessage } from 'element-plus'
import { ApiError, type FieldErrors } from './api'

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
    ElMessage.error('操作失败，请稍后重试')
  }
  return { errors, clear, show }
}
