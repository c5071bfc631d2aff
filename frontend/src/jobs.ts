// Following long work in the backend (export, submit): start it, poll its
// progress, and cancel it.
import { computed, onBeforeUnmount, ref } from 'vue'
import { api, ApiError, type Job } from './api'

/** How often a running job is polled, in milliseconds. */
export const pollInterval = 200

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * One job at a time, for a component: run(start) starts it and resolves with
 * its result, or undefined when it was cancelled; a failed job throws its
 * error as an ApiError. When the component goes away polling stops and run
 * never settles: nobody is left to tell (the job itself goes on).
 */
export function useJob() {
  const current = ref<Job<unknown> | null>(null)
  const running = computed(() => current.value !== null)
  const percentage = computed(() => {
    const j = current.value
    return j && j.total > 0 ? Math.min(100, Math.floor((j.done * 100) / j.total)) : 0
  })
  let gone = false
  onBeforeUnmount(() => (gone = true))

  async function run<T>(start: () => Promise<Job<T>>): Promise<T | undefined> {
    try {
      let j = await start()
      current.value = j
      while (j.state === 'running') {
        await sleep(pollInterval)
        if (gone) return new Promise<never>(() => {})
        j = await api.job<T>(j.id)
        current.value = j
      }
      if (j.state === 'failed') {
        const e = j.error ?? { code: 'internal', message: '操作失败，请稍后重试' }
        throw new ApiError(0, e.code, e.message, e.fields ?? {})
      }
      return j.state === 'done' ? j.result : undefined
    } finally {
      current.value = null
    }
  }

  /** Asks the running job to stop; run then resolves with undefined. */
  async function cancel() {
    if (current.value) await api.cancelJob(current.value.id)
  }

  return { running, percentage, run, cancel }
}
