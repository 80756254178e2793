import { ApiError } from './errors.ts'

/** Longest note text accepted, in characters. */
export const MAX_NOTE_LENGTH = 1000

/**
 * Validates the body of `POST /api/notes`: a JSON object `{ text }` with 1 to
 * {@link MAX_NOTE_LENGTH} characters of text once trimmed.
 *
 * @throws {ApiError} 400 `invalid_request` saying what is wrong.
 */
export function parseNoteInput(body: unknown): { text: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('The body must be a JSON object like {"text": "..."}')
  }
  const { text } = body as Record<string, unknown>
  if (typeof text !== 'string') throw invalid('"text" must be a string')
  const trimmed = text.trim()
  if (trimmed === '') throw invalid('"text" must not be empty')
  if (trimmed.length > MAX_NOTE_LENGTH) {
    throw invalid(`"text" must be at most ${MAX_NOTE_LENGTH} characters`)
  }
  return { text: trimmed }
}

function invalid(message: string): ApiError {
  return new ApiError(400, 'invalid_request', message)
}
