/** The dashboard's "see for yourself" disclosure: where DevTools shows that no JWT is here. */
export function VerifyNoJwt() {
  return (
    <details className="card disclosure" data-testid="verify-no-jwt">
      <summary className="disclosure__summary">
        <svg
          className="disclosure__chevron"
          viewBox="0 0 16 16"
          width="16"
          height="16"
          aria-hidden="true"
        >
          <path d="M6 3.5 10.5 8 6 12.5" fill="none" stroke="currentColor" strokeWidth="2" />
        </svg>
        <span>Verify: no JWT in your browser</span>
      </summary>
      <div className="disclosure__body">
        <p>Open your browser's DevTools on this page and look for yourself:</p>
        <ol className="checklist">
          <li>
            <strong>Application → Cookies</strong>: the one cookie this app sets is{' '}
            <code>__Host-session</code>, marked <code>HttpOnly</code> and <code>Secure</code>. Its
            value is a random id, not a token, and <code>document.cookie</code> in the Console
            cannot even see it. (On <code>localhost</code> the development IdP's own cookies show up
            too: cookies are shared by every port of a host.)
          </li>
          <li>
            <strong>Network</strong>: select the <code>/api/me</code> request. Its request headers
            carry the cookie and <code>X-CSRF: 1</code>, but no <code>Authorization</code> header,
            and no response contains an <code>eyJ…</code> token.
          </li>
          <li>
            <strong>Application → Storage</strong>: Local Storage, Session Storage and IndexedDB
            hold no tokens for this site.
          </li>
        </ol>
        <p>
          The access and refresh tokens live only in the Worker's session store. If an attacker ran
          script on this page, there would be no token to steal.
        </p>
      </div>
    </details>
  )
}
