import type { ReactNode } from 'react'

interface Step {
  id: string
  label: string
  title: ReactNode
  body: ReactNode
}

const steps: Step[] = [
  {
    id: 'problem',
    label: 'The problem',
    title: 'SPAs keep tokens in the browser',
    body: (
      <>
        Most OAuth SDKs for single-page apps hold access and refresh tokens in JavaScript memory or{' '}
        <code>localStorage</code>. One XSS bug or one bad npm dependency can read and replay them.
      </>
    ),
  },
  {
    id: 'solution',
    label: 'The solution',
    title: 'The Worker keeps them',
    body: (
      <>
        A Cloudflare Worker runs the authorization code flow with PKCE as a confidential client and
        keeps the tokens in its own session store. They never reach the browser, so there is nothing
        in it to steal.
      </>
    ),
  },
  {
    id: 'cookie',
    label: 'The session cookie',
    title: (
      <>
        HttpOnly + <code>__Host-</code>
      </>
    ),
    body: (
      <>
        The browser gets an opaque, random session id in a <code>__Host-session</code> cookie:{' '}
        <code>HttpOnly</code> (no script can read it), <code>Secure</code>,{' '}
        <code>SameSite=Lax</code>, and pinned to this exact origin.
      </>
    ),
  },
  {
    id: 'upstream',
    label: 'The upstream call',
    title: 'Bearer injected by the Worker',
    body: (
      <>
        When the app calls <code>/api/me</code>, the Worker finds the session, refreshes the token
        when it is about to expire and adds <code>Authorization: Bearer …</code>. Your API verifies
        the JWT as always.
      </>
    ),
  },
]

/** The landing page's four-card explanation of the BFF pattern. */
export function HowItWorks() {
  return (
    <section className="how container" id="how-it-works" aria-labelledby="how-it-works-title">
      <h2 id="how-it-works-title" className="section-title">
        How it works
      </h2>
      <p className="section-lede">
        The Backend-for-Frontend pattern, in four steps: the browser holds a cookie, the Worker
        holds the tokens.
      </p>
      <ol className="how__grid">
        {steps.map((step, index) => (
          <li key={step.id} className="card how__card" data-testid={`how-card-${step.id}`}>
            <p className="how__label">
              <span className="how__number" aria-hidden="true">
                {index + 1}
              </span>
              {step.label}
            </p>
            <h3 className="how__title">{step.title}</h3>
            <p className="how__body">{step.body}</p>
          </li>
        ))}
      </ol>
    </section>
  )
}
