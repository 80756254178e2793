import { DEMO_PASSWORD, type DemoUser } from './accounts.ts'
import { escapeHtml } from './html.ts'

const styles = `
:root{color-scheme:light dark;--bg:#F4F3EF;--card:#fff;--text:#1c1917;--muted:#6b6862;--border:#e7e5df;--accent:#7C3AED;--accent-hover:#6D28D9;--error-bg:#fdecec;--error:#b42318}
@media (prefers-color-scheme:dark){:root{--bg:#111110;--card:#1b1b19;--text:#f2f1ed;--muted:#a8a69f;--border:#2c2b28;--accent:#9F5FFF;--accent-hover:#8B45F5;--error-bg:#3a1717;--error:#ff9c94}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{width:min(400px,calc(100vw - 32px));background:var(--card);border:1px solid var(--border);border-radius:16px;padding:32px;box-shadow:0 1px 2px rgba(0,0,0,.04),0 8px 24px rgba(0,0,0,.06)}
.brand{font-weight:700;letter-spacing:-.02em;margin:0 0 4px;font-size:14px;color:var(--accent)}
h1{font-size:24px;letter-spacing:-.02em;margin:0 0 8px}
p{margin:0 0 16px;color:var(--muted)}
label{display:block;font-size:14px;font-weight:600;margin:16px 0 6px}
input{width:100%;padding:10px 12px;border-radius:8px;border:1px solid var(--border);background:transparent;color:inherit;font:inherit}
input:focus{outline:2px solid var(--accent);outline-offset:1px}
button{margin-top:24px;width:100%;padding:11px 16px;border:0;border-radius:8px;background:var(--accent);color:#fff;font:inherit;font-weight:600;cursor:pointer}
button:hover{background:var(--accent-hover)}
.error{background:var(--error-bg);color:var(--error);border-radius:8px;padding:10px 12px;margin:16px 0 0;font-size:14px}
.users{margin:24px 0 0;padding:16px 0 0;border-top:1px solid var(--border);font-size:14px;color:var(--muted)}
.users ul{margin:8px 0 0;padding:0;list-style:none}
.users li{display:flex;justify-content:space-between;padding:4px 0}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;color:var(--text)}
`

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
<main>
<p class="brand">bezzie · local IdP</p>
${body}
</main>
</body>
</html>`
}

export interface LoginPageOptions {
  /** Where the form posts to. */
  action: string
  /** Name of the client asking the user to sign in. */
  clientName: string
  users: readonly DemoUser[]
  /** Username to prefill after a failed attempt. */
  username?: string
  error?: string
}

/** The sign-in form: fields `username` and `password`, plus the list of demo users. */
export function loginPage(options: LoginPageOptions): string {
  const error = options.error
    ? `<div class="error" role="alert">${escapeHtml(options.error)}</div>`
    : ''
  const users = options.users
    .map(
      (user) =>
        `<li><span><code>${escapeHtml(user.username)}</code></span><span>${escapeHtml(user.name)}</span></li>`,
    )
    .join('')
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
<p>to continue to ${escapeHtml(options.clientName)}</p>
${error}
<form method="post" action="${escapeHtml(options.action)}" autocomplete="off">
<label for="username">Username</label>
<input id="username" name="username" required${options.username ? '' : ' autofocus'} value="${escapeHtml(options.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" required${options.username ? ' autofocus' : ''}>
<button type="submit">Sign in</button>
</form>
<div class="users">Demo users (password <code>${escapeHtml(DEMO_PASSWORD)}</code>):
<ul>${users}</ul>
</div>`,
  )
}

/** A plain page for protocol errors; never includes a stack trace. */
export function errorPage(error: string, description?: string): string {
  return layout(
    'Sign-in error',
    `<h1>Something went wrong</h1>
<div class="error" role="alert"><strong>${escapeHtml(error)}</strong>${
      description ? `: ${escapeHtml(description)}` : ''
    }</div>`,
  )
}

/**
 * Logout confirmation that submits itself: the dev IdP does not ask "do you want to sign out?".
 * `form` is oidc-provider's hidden form carrying the xsrf value.
 */
export function logoutPage(form: string): string {
  return layout(
    'Signing out',
    `<h1>Signing out…</h1>
${form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>')}
<noscript><button type="submit" form="op.logoutForm">Sign out</button></noscript>
<script>document.getElementById('op.logoutForm').submit()</script>`,
  )
}

export function signedOutPage(): string {
  return layout('Signed out', '<h1>Signed out</h1><p>You can close this window.</p>')
}
