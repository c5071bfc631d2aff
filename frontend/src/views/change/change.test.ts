import { describe, expect, it } from 'vitest'
import labels from '../../api/__samples__/state_labels.json'
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
  // state_labels.json is Go's change.StateLabels, written and kept current by app/tsjson_test.go.
  it('names every state as the server does', () => {
    expect(changeStateLabels).toEqual(labels.change)
  })
})
