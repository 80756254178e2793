import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useBezzieFetch } from 'bezzie-react'
import { type FormEvent, useId, useState } from 'react'
import { Callout } from '../components/Callout.tsx'
import { addNote, MAX_NOTE_LENGTH, notesQueryOptions } from './notes-api.ts'

const timeFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' })

/**
 * The dashboard's write through the BFF: the user's notes at the upstream API, listed with
 * `GET /api/notes` and added with `POST /api/notes`. The browser sends its session cookie and
 * `X-CSRF: 1`; the Worker adds the bearer token on the way upstream.
 */
export function NotesPanel({ sub }: { sub: string }) {
  const fetch = useBezzieFetch()
  const queryClient = useQueryClient()
  const options = notesQueryOptions(fetch, sub)
  const notes = useQuery(options)
  const [text, setText] = useState('')
  const inputId = useId()
  const add = useMutation({
    mutationFn: (value: string) => addNote(fetch, value),
    onSuccess: async () => {
      setText('')
      await queryClient.invalidateQueries({ queryKey: options.queryKey })
    },
  })

  function submit(event: FormEvent) {
    event.preventDefault()
    if (text.trim() !== '') add.mutate(text)
  }

  return (
    <section className="card panel notes" id="notes" aria-labelledby="notes-title">
      <div>
        <h2 id="notes-title" className="panel__title">
          Your notes at the upstream API
        </h2>
        <p className="panel__subtitle">
          <code>POST /api/notes</code> — a write through the Worker's proxy, with{' '}
          <code>X-CSRF: 1</code>.
        </p>
      </div>
      <form className="notes__form" onSubmit={submit}>
        <label htmlFor={inputId} className="notes__label">
          New note
        </label>
        <div className="notes__row">
          <input
            id={inputId}
            className="notes__input"
            name="text"
            value={text}
            maxLength={MAX_NOTE_LENGTH}
            placeholder="e.g. Tokens stay in the Worker"
            autoComplete="off"
            onChange={(event) => setText(event.target.value)}
            data-testid="note-input"
          />
          <button
            type="submit"
            className="button button--primary button--small"
            disabled={add.isPending || text.trim() === ''}
            data-testid="note-add"
          >
            {add.isPending ? 'Adding…' : 'Add note'}
          </button>
        </div>
      </form>
      {add.isError && (
        <Callout tone="error" title="The note was not saved" data-testid="note-error">
          <p>{add.error.message}</p>
        </Callout>
      )}
      {notes.isPending && (
        <p className="panel__loading" role="status">
          Loading your notes…
        </p>
      )}
      {notes.isError && (
        <Callout tone="error" title="Could not load your notes" data-testid="notes-error">
          <p>{notes.error.message}</p>
        </Callout>
      )}
      {notes.isSuccess &&
        (notes.data.length === 0 ? (
          <p className="notes__empty" data-testid="notes-empty">
            No notes yet. Add one: it is stored by the upstream API under your <code>sub</code>.
          </p>
        ) : (
          <ul className="notes__list" data-testid="notes-list">
            {[...notes.data].reverse().map((note) => (
              <li key={note.id} className="notes__item">
                <p className="notes__text">{note.text}</p>
                <time className="notes__time" dateTime={note.createdAt}>
                  {timeFormat.format(new Date(note.createdAt))}
                </time>
              </li>
            ))}
          </ul>
        ))}
    </section>
  )
}
