import { describe, expect, it } from 'vitest'
import { MAX_NOTE_LENGTH, parseNoteInput } from './parse-note-input.ts'

describe('parseNoteInput', () => {
  it('accepts a text and trims it', () => {
    expect(parseNoteInput({ text: '  buy milk ' })).toEqual({ text: 'buy milk' })
  })

  it.each([
    ['null', null],
    ['an array', [{ text: 'x' }]],
    ['a string', 'text'],
    ['a missing text', {}],
    ['a numeric text', { text: 42 }],
    ['a blank text', { text: '   ' }],
    ['an overlong text', { text: 'x'.repeat(MAX_NOTE_LENGTH + 1) }],
  ])('rejects %s with a 400 invalid_request', (_, body) => {
    expect(() => parseNoteInput(body)).toThrow(
      expect.objectContaining({ status: 400, code: 'invalid_request' }),
    )
  })
})
