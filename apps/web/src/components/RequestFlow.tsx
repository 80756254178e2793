/**
 * The hero's illustration: the same request as the browser sends it and as the Worker forwards
 * it. Decorative for sighted users; screen readers get the one-sentence summary instead.
 */
export function RequestFlow() {
  return (
    <figure className="flow">
      <div className="flow__hop">
        <p className="flow__who">Browser → Worker</p>
        <pre className="flow__code">
          <code>
            <span className="tok-method">GET</span> /api/me{'\n'}
            <span className="tok-header">Cookie:</span> __Host-session=
            <span className="tok-muted">a1f0…</span>
            {'\n'}
            <span className="tok-header">X-CSRF:</span> 1
          </code>
        </pre>
      </div>
      <div className="flow__arrow" aria-hidden="true">
        <span>session lookup · refresh if needed</span>
      </div>
      <div className="flow__hop">
        <p className="flow__who">Worker → your API</p>
        <pre className="flow__code">
          <code>
            <span className="tok-method">GET</span> /api/me{'\n'}
            <span className="tok-header">Authorization:</span> Bearer{' '}
            <span className="tok-token">eyJhbGciOi…</span>
          </code>
        </pre>
      </div>
      <figcaption className="flow__caption">
        The browser only ever sends an opaque cookie; the access token exists in the Worker alone.
      </figcaption>
    </figure>
  )
}
