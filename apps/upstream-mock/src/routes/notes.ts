import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../app-env.ts'
import { ApiError, errorResponse } from '../errors.ts'
import { NotesStore } from '../notes-store.ts'
import { parseNoteInput } from '../parse-note-input.ts'

/** Largest `POST /api/notes` body accepted, in bytes. */
export const MAX_NOTE_BODY_BYTES = 16 * 1024

/**
 * `/api/notes`: a tiny per-subject resource with reads and writes, to exercise methods and
 * bodies through the BFF proxy. Every operation is scoped to the token's `sub`.
 */
export function notesRoutes(store = new NotesStore()) {
  return new Hono<AppEnv>()
    .get('/', (c) => c.json({ notes: store.list(c.get('claims').sub) }))
    .post(
      '/',
      bodyLimit({
        maxSize: MAX_NOTE_BODY_BYTES,
        onError: (c) =>
          errorResponse(
            c,
            new ApiError(413, 'payload_too_large', `The body exceeds ${MAX_NOTE_BODY_BYTES} bytes`),
          ),
      }),
      async (c) => {
        const type = c.req.header('content-type') ?? ''
        if (!/^application\/json\s*(;|$)/i.test(type)) {
          throw new ApiError(
            415,
            'invalid_request',
            'Send the note as Content-Type: application/json',
          )
        }
        let body: unknown
        try {
          body = await c.req.json()
        } catch {
          throw new ApiError(400, 'invalid_request', 'The body is not valid JSON')
        }
        const { text } = parseNoteInput(body)
        return c.json(store.add(c.get('claims').sub, text), 201)
      },
    )
    .delete('/:id', (c) => {
      if (!store.remove(c.get('claims').sub, c.req.param('id'))) {
        throw new ApiError(404, 'not_found', 'No such note')
      }
      return c.body(null, 204)
    })
}
