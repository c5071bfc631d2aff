import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent } from 'vue'
import { mount } from '@vue/test-utils'
import { api, ApiError, type Job } from './api'
import { pollInterval, useJob } from './jobs'

/** useJob inside a mounted component, as a page uses it. */
function mounted() {
  let job!: ReturnType<typeof useJob>
  const wrapper = mount(
    defineComponent({
      setup() {
        job = useJob()
        return () => null
      },
    }),
  )
  return { job, wrapper }
}

const running = (done: number, total: number): Job<string> => ({ id: 'j1', state: 'running', done, total })

beforeEach(() => vi.useFakeTimers())
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('useJob', () => {
  it('polls a running job, shows its progress and resolves with its result', async () => {
    const polls = [running(1, 4), { id: 'j1', state: 'done', done: 4, total: 4, result: 'ok' } as Job<string>]
    const get = vi.spyOn(api, 'job').mockImplementation(async () => polls.shift() as Job<never>)
    const { job } = mounted()
    const result = job.run(async () => running(0, 4))
    await vi.advanceTimersByTimeAsync(0)
    expect(job.running.value).toBe(true)
    expect(job.percentage.value).toBe(0)
    await vi.advanceTimersByTimeAsync(pollInterval)
    expect(job.percentage.value).toBe(25)
    await vi.advanceTimersByTimeAsync(pollInterval)
    await expect(result).resolves.toBe('ok')
    expect(get).toHaveBeenCalledTimes(2)
    expect(job.running.value).toBe(false)
  })

  it('throws the error of a failed job, with its fields', async () => {
    vi.spyOn(api, 'job').mockResolvedValue({
      id: 'j1',
      state: 'failed',
      done: 0,
      total: 0,
      error: { code: 'validation', message: '提交的信息有误', fields: { password: '密码不正确' } },
    })
    const { job } = mounted()
    const result = job.run(async () => running(0, 0)).catch((e) => e)
    await vi.advanceTimersByTimeAsync(pollInterval)
    const err = await result
    expect(err).toBeInstanceOf(ApiError)
    expect(err.fields.password).toBe('密码不正确')
    expect(job.running.value).toBe(false)
  })

  it('cancels the running job and resolves with nothing', async () => {
    let state: Job<string>['state'] = 'running'
    vi.spyOn(api, 'job').mockImplementation(async () => ({ id: 'j1', state, done: 1, total: 2 }))
    const cancel = vi.spyOn(api, 'cancelJob').mockImplementation(async () => {
      state = 'cancelled'
      return {}
    })
    const { job } = mounted()
    const result = job.run(async () => running(0, 2))
    await vi.advanceTimersByTimeAsync(0)
    await job.cancel()
    expect(cancel).toHaveBeenCalledWith('j1')
    await vi.advanceTimersByTimeAsync(pollInterval)
    await expect(result).resolves.toBeUndefined()
  })

  it('stops polling when the page goes away', async () => {
    const get = vi.spyOn(api, 'job').mockResolvedValue(running(1, 2))
    const { job, wrapper } = mounted()
    let settled = false
    job.run(async () => running(0, 2)).finally(() => (settled = true))
    await vi.advanceTimersByTimeAsync(pollInterval)
    wrapper.unmount()
    await vi.advanceTimersByTimeAsync(pollInterval * 3)
    expect(get).toHaveBeenCalledTimes(1)
    expect(settled).toBe(false)
  })
})
