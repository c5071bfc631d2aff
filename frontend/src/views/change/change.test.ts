import { describe, expect, it } from 'vitest'
import { cardExpiry, changeStateLabels } from './change'

describe('cardExpiry', () => {
  it('is the day before the fifth anniversary of the issue date', () => {
    expect(cardExpiry('2024-03-01')).toBe('2029-02-28')
    expect(cardExpiry('2023-07-15')).toBe('2028-07-14')
    expect(cardExpiry('2024-02-29')).toBe('2029-02-28')
    expect(cardExpiry('2021-01-01')).toBe('2025-12-31')
  })
})

describe('changeStateLabels', () => {
  it('names the states as the server does', () => {
    expect(changeStateLabels.deleted).toBe('已删除（单位负责人删除）')
    expect(Object.keys(changeStateLabels)).toHaveLength(9)
  })
})
