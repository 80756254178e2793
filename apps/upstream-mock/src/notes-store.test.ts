import { describe, expect, it } from 'vitest'
import { MAX_NOTES_PER_SUBJECT, NotesStore } from './notes-store.ts'

describe('NotesStore', () => {
  it('keeps each subject’s notes apart', () => {
    const store = new NotesStore()
    const note = store.add('alice', 'hello')
    expect(store.list('alice')).toEqual([note])
    expect(store.list('bob')).toEqual([])
  })

  it('removes a note only for its own subject', () => {
    const store = new NotesStore()
    const note = store.add('alice', 'hello')
    expect(store.remove('bob', note.id)).toBe(false)
    expect(store.remove('alice', note.id)).toBe(true)
    expect(store.list('alice')).toEqual([])
  })

  it('drops the oldest notes beyond the per-subject limit', () => {
    const store = new NotesStore()
    const first = store.add('alice', 'first')
    for (let i = 0; i < MAX_NOTES_PER_SUBJECT; i++) store.add('alice', `n${i}`)
    const notes = store.list('alice')
    expect(notes).toHaveLength(MAX_NOTES_PER_SUBJECT)
    expect(notes.map((n) => n.id)).not.toContain(first.id)
  })
})
