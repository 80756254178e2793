import { type BezzieDevice, useSessions } from 'bezzie-react'
import { useState } from 'react'

const ago = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })

/** "just now", "5 minutes ago", "yesterday": coarse on purpose, like the times themselves. */
function relative(epochSeconds: number): string {
  const seconds = epochSeconds - Math.floor(Date.now() / 1000)
  const abs = Math.abs(seconds)
  if (abs < 60) return 'just now'
  if (abs < 3600) return ago.format(Math.round(seconds / 60), 'minute')
  if (abs < 86_400) return ago.format(Math.round(seconds / 3600), 'hour')
  return ago.format(Math.round(seconds / 86_400), 'day')
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' })

function DeviceRow({ session, onSignOut }: { session: BezzieDevice; onSignOut(): void }) {
  const [busy, setBusy] = useState(false)
  return (
    <li className="device" data-testid="device" data-current={session.current}>
      <div>
        <p className="device__label">
          {session.device}
          {session.current && <span className="device__badge">This device</span>}
        </p>
        <p className="device__meta">
          Signed in {relative(session.createdAt)} · last seen {relative(session.lastSeenAt)}
          {session.country && ` · ${regionNames.of(session.country) ?? session.country}`}
        </p>
      </div>
      <button
        type="button"
        className="button button--ghost button--small"
        disabled={busy}
        onClick={() => {
          setBusy(true)
          Promise.resolve(onSignOut()).finally(() => setBusy(false))
        }}
        data-testid={session.current ? 'sign-out-this-device' : 'sign-out-device'}
      >
        {session.current ? 'Sign out this device' : 'Sign out'}
      </button>
    </li>
  )
}

/**
 * "Active sessions": every device the user is signed in on (from the Worker's session store),
 * with "sign out" per device and for all others. Needs a store with an index (the Durable Object
 * store); with KV the Worker does not serve the list and the panel says so.
 */
export function ActiveSessions() {
  const { sessions, isLoading, error, revoke, revokeOthers } = useSessions()
  const others = sessions.filter((s) => !s.current).length
  return (
    <section className="card panel" aria-labelledby="sessions-title" data-testid="active-sessions">
      <div className="panel__header">
        <div>
          <h2 id="sessions-title" className="panel__title">
            Active sessions
          </h2>
          <p className="panel__subtitle">
            Where you are signed in. Sign out a device you don't use.
          </p>
        </div>
        {others > 0 && (
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={() => revokeOthers()}
            data-testid="sign-out-other-devices"
          >
            Sign out all other devices
          </button>
        )}
      </div>
      {isLoading && (
        <p className="panel__loading" role="status">
          Loading your devices…
        </p>
      )}
      {error && (
        <p className="panel__loading" data-testid="sessions-unavailable">
          The device list needs a session store with an index (the Durable Object store); this
          Worker keeps sessions where it cannot list them.
        </p>
      )}
      {!isLoading && !error && (
        <ul className="devices">
          {sessions.map((session) => (
            <DeviceRow key={session.id} session={session} onSignOut={() => revoke(session.id)} />
          ))}
        </ul>
      )}
    </section>
  )
}
