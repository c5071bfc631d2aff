import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { KeepAlive, timings } from './keepAlive'

const minute = 60_000

/** A KeepAlive over the default 15 minutes whose hooks are spies; renew answers at once. */
function paced(renew: () => Promise<unknown> = async () => undefined) {
  const hooks = { renew: vi.fn(renew), warn: vi.fn(), renewed: vi.fn(), expired: vi.fn() }
  const k = new KeepAlive(timings(15 * minute), hooks)
  k.start()
  return { k, hooks }
}

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }))
afterEach(() => vi.useRealTimers())

describe('timings', () => {
  it('paces 15 minutes by the minute and short test times by their quarter', () => {
    expect(timings(15 * minute)).toEqual({ idle: 15 * minute, every: minute, warnBefore: minute, slack: 5_000 })
    expect(timings(8_000)).toEqual({ idle: 8_000, every: 2_000, warnBefore: 2_000, slack: 2_000 })
  })
})

describe('KeepAlive', () => {
  it('renews on input at most once a minute', async () => {
    const { k, hooks } = paced()
    await vi.advanceTimersByTimeAsync(30_000)
    k.input() // a call went out with sign-in 30 s ago
    expect(hooks.renew).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(30_000)
    for (let i = 0; i < 50; i++) k.input() // typing
    await vi.advanceTimersByTimeAsync(0)
    expect(hooks.renew).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(59_000)
    k.input()
    expect(hooks.renew).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1_000)
    k.input()
    expect(hooks.renew).toHaveBeenCalledTimes(2)
  })

  it('warns a minute before the end (less the server’s slack) and then ends the session', async () => {
    const { hooks } = paced()
    const end = Date.now() + 15 * minute - 5_000
    await vi.advanceTimersByTimeAsync(14 * minute - 5_001)
    expect(hooks.warn).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(hooks.warn).toHaveBeenCalledWith(end)
    expect(hooks.expired).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(minute)
    expect(hooks.expired).toHaveBeenCalledTimes(1)
  })

  it('counts the session from each renewal, so input keeps it alive', async () => {
    const { k, hooks } = paced()
    for (let i = 0; i < 30; i++) {
      await vi.advanceTimersByTimeAsync(minute)
      k.input()
    }
    await vi.advanceTimersByTimeAsync(0)
    expect(hooks.renew).toHaveBeenCalledTimes(30)
    expect(hooks.warn).not.toHaveBeenCalled()
    expect(hooks.expired).not.toHaveBeenCalled()
    expect(hooks.renewed).toHaveBeenCalledTimes(31)
  })

  it('renews on 继续使用 during the warning, and one call at a time', async () => {
    let answer!: () => void
    const { k, hooks } = paced(() => new Promise<void>((resolve) => (answer = resolve)))
    await vi.advanceTimersByTimeAsync(14 * minute)
    expect(hooks.warn).toHaveBeenCalledTimes(1)
    const renewing = k.renew()
    void k.renew()
    k.input()
    expect(hooks.renew).toHaveBeenCalledTimes(1)
    answer()
    await renewing
    await vi.advanceTimersByTimeAsync(14 * minute - 5_001)
    expect(hooks.warn).toHaveBeenCalledTimes(1)
    expect(hooks.expired).not.toHaveBeenCalled()
  })

  it('does not renew a session that failed to renew or was stopped', async () => {
    const { k, hooks } = paced(async () => {
      throw new Error('offline')
    })
    await vi.advanceTimersByTimeAsync(minute)
    k.input()
    await vi.advanceTimersByTimeAsync(0)
    expect(hooks.renewed).toHaveBeenCalledTimes(1) // the start only
    await vi.advanceTimersByTimeAsync(14 * minute)
    expect(hooks.expired).toHaveBeenCalledTimes(1)
    k.input()
    await vi.advanceTimersByTimeAsync(0)
    expect(hooks.renew).toHaveBeenCalledTimes(1)
  })
})
