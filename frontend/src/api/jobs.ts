// Long work in the backend (export, submit, backup, restore).
import { call, type FieldErrors } from './transport'

/** Long work in the backend as the UI polls it. */
export interface Job<T> {
  id: string
  state: 'running' | 'done' | 'failed' | 'cancelled'
  done: number
  total: number
  error?: { code: string; message: string; fields?: FieldErrors }
  result?: T
}

export const jobsApi = {
  job: <T>(id: string) => call<Job<T>>('GET', `/api/jobs/${id}`),
  cancelJob: (id: string) => call<object>('POST', `/api/jobs/${id}/cancel`),
}
