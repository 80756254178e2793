/** A note as returned by the notes endpoints. */
export interface Note {
  /** Random identifier (UUID). */
  id: string
  text: string
  /** ISO 8601 creation time. */
  createdAt: string
}

/** Most notes kept per subject; the oldest are dropped first, so memory stays bounded. */
export const MAX_NOTES_PER_SUBJECT = 100

/**
 * Notes per subject, in memory. Each Worker isolate has its own, which is enough for a mock
 * that only has to show a write going through the BFF proxy.
 */
export class NotesStore {
  readonly #bySubject = new Map<string, Note[]>()

  list(sub: string): Note[] {
    return [...(this.#bySubject.get(sub) ?? [])]
  }

  add(sub: string, text: string): Note {
    const note: Note = { id: crypto.randomUUID(), text, createdAt: new Date().toISOString() }
    const notes = this.#bySubject.get(sub) ?? []
    notes.push(note)
    if (notes.length > MAX_NOTES_PER_SUBJECT) notes.splice(0, notes.length - MAX_NOTES_PER_SUBJECT)
    this.#bySubject.set(sub, notes)
    return note
  }

  /** @returns whether a note with that id belonged to `sub` and was removed. */
  remove(sub: string, id: string): boolean {
    const notes = this.#bySubject.get(sub)
    const index = notes?.findIndex((note) => note.id === id) ?? -1
    if (!notes || index < 0) return false
    notes.splice(index, 1)
    return true
  }
}
