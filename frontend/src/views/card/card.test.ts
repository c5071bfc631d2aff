import { describe, expect, it } from 'vitest'
import labels from '../../api/__samples__/state_labels.json'
import { cardStateLabels } from './card'

describe('cardStateLabels', () => {
  // state_labels.json is Go's card.StateLabels, written and kept current by app/tsjson_test.go.
  it('names every state as the server does', () => {
    expect(cardStateLabels).toEqual(labels.card)
  })
})
