import { describe, expect, inject, it } from 'vitest'
import { bearer, fetchWorker } from './fetch-worker.ts'

interface Note {
  id: string
  text: string
  createdAt: string
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

async function createNote(token: string, text: string): Promise<Note> {
  const response = await fetchWorker('/api/notes', bearer(token, json({ text })))
  expect(response.status).toBe(201)
  return (await response.json()) as Note
}

async function listNotes(token: string): Promise<Note[]> {
  const response = await fetchWorker('/api/notes', bearer(token))
  expect(response.status).toBe(200)
  return ((await response.json()) as { notes: Note[] }).notes
}

describe('/api/notes', () => {
  it('creates a note and lists it for its author', async () => {
    const alice = inject('aliceAccessToken')
    const note = await createNote(alice, '  remember the milk ')
    expect(note).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      text: 'remember the milk',
      createdAt: expect.any(String),
    })
    expect(await listNotes(alice)).toContainEqual(note)
  })

  it('keeps one user’s notes from another', async () => {
    const note = await createNote(inject('aliceAccessToken'), 'private to alice')
    const bob = inject('bobAccessToken')
    expect((await listNotes(bob)).map((n) => n.id)).not.toContain(note.id)
    const response = await fetchWorker(`/api/notes/${note.id}`, bearer(bob, { method: 'DELETE' }))
    expect(response.status).toBe(404)
    expect((await listNotes(inject('aliceAccessToken'))).map((n) => n.id)).toContain(note.id)
  })

  it('deletes a note of its author', async () => {
    const alice = inject('aliceAccessToken')
    const note = await createNote(alice, 'to delete')
    const response = await fetchWorker(`/api/notes/${note.id}`, bearer(alice, { method: 'DELETE' }))
    expect(response.status).toBe(204)
    expect((await listNotes(alice)).map((n) => n.id)).not.toContain(note.id)
  })

  it.each([
    ['a body that is not JSON', '{"text": '],
    ['a missing text', '{}'],
    ['a blank text', '{"text": "  "}'],
    ['a non-string text', '{"text": 1}'],
  ])('answers 400 invalid_request to %s', async (_, body) => {
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body }
    const response = await fetchWorker('/api/notes', bearer(inject('aliceAccessToken'), init))
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ error: 'invalid_request', message: expect.any(String) })
  })

  it('answers 415 to a body that is not declared as JSON', async () => {
    const init = { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"text":"x"}' }
    const response = await fetchWorker('/api/notes', bearer(inject('aliceAccessToken'), init))
    expect(response.status).toBe(415)
  })

  it('answers 413 to an oversized body', async () => {
    const init = json({ text: 'x'.repeat(20 * 1024) })
    const response = await fetchWorker('/api/notes', bearer(inject('aliceAccessToken'), init))
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ error: 'payload_too_large' })
  })

  it('requires a token for writes too', async () => {
    const response = await fetchWorker('/api/notes', json({ text: 'x' }))
    expect(response.status).toBe(401)
  })
})
