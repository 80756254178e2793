import { DEMO_PASSWORD, type DemoUser } from './accounts.ts'
import { fontFaces } from './fonts.ts'
import { escapeHtml } from './html.ts'

// The demo app's look (apps/web): Inter, warm off-white, white cards, violet accent; dark scheme.
const styles = `${fontFaces}
:root{color-scheme:light dark;--bg:#F4F3EF;--card:#fff;--field:#FAF9F6;--text:#1c1b19;--muted:#5c5a54;--border:#e5e3dc;--border-strong:#d4d1c7;--accent:#7C3AED;--accent-hover:#6D28D9;--accent-text:#6D28D9;--accent-soft:#f1eafd;--on-accent:#fff;--error-bg:#fdf0ef;--error-border:#f3c6c2;--error:#a61b1b;--shadow:0 1px 2px rgb(28 27 25/.05),0 6px 20px -6px rgb(28 27 25/.12)}
@media (prefers-color-scheme:dark){:root{--bg:#111110;--card:#1a1a18;--field:#201f1d;--text:#edece8;--muted:#a8a59d;--border:#2c2b28;--border-strong:#3a3935;--accent:#9F5FFF;--accent-hover:#B27FFF;--accent-text:#B88AFF;--accent-soft:#241a36;--on-accent:#120a1f;--error-bg:#2a1614;--error-border:#5a2a25;--error:#ff9b91;--shadow:0 1px 2px rgb(0 0 0/.35),0 8px 24px -8px rgb(0 0 0/.6)}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:20px;padding:32px 16px;background:var(--bg);color:var(--text);font:16px/1.6 "Inter",ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;-webkit-font-smoothing:antialiased}
.brand{display:flex;align-items:center;gap:10px;margin:0;color:var(--text);font-weight:700;font-size:19px;letter-spacing:-.02em}
.brand svg{display:block;border-radius:8px}
.pill{padding:2px 10px;border:1px solid var(--border-strong);border-radius:999px;color:var(--muted);font-size:12px;font-weight:600;letter-spacing:.04em;text-transform:uppercase}
main{width:min(420px,100%);background:var(--card);border:1px solid var(--border);border-radius:16px;padding:32px;box-shadow:var(--shadow)}
h1{margin:0 0 4px;font-size:26px;font-weight:700;letter-spacing:-.03em;line-height:1.2}
p{margin:0;color:var(--muted)}
.client{color:var(--text);font-weight:600}
label{display:block;margin:20px 0 6px;font-size:14px;font-weight:600}
input{width:100%;min-height:44px;padding:10px 12px;border:1px solid var(--border-strong);border-radius:8px;background:var(--field);color:inherit;font:inherit}
input:focus-visible{outline:3px solid var(--accent);outline-offset:0;border-color:var(--accent)}
.actions{display:flex;flex-direction:column;gap:12px;margin-top:24px}
button{min-height:44px;padding:11px 16px;border:0;border-radius:8px;background:var(--accent);color:var(--on-accent);font:inherit;font-weight:600;cursor:pointer;box-shadow:0 6px 18px -6px rgb(124 58 237/.55)}
button:hover{background:var(--accent-hover)}
button:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
a{color:var(--accent-text)}
.cancel{align-self:center;font-size:14px;font-weight:500}
.error{margin:20px 0 0;padding:10px 12px;border:1px solid var(--error-border);border-radius:8px;background:var(--error-bg);color:var(--error);font-size:14px}
.users{margin:28px 0 0;padding:20px 0 0;border-top:1px solid var(--border)}
.users h2{margin:0;font-size:14px;font-weight:600}
.users p{font-size:14px}
.users ul{display:grid;gap:8px;margin:12px 0 0;padding:0;list-style:none}
.user{display:flex;align-items:center;gap:12px;padding:10px 12px;border:1px solid var(--border);border-radius:12px;color:var(--text);text-decoration:none}
.user:hover{border-color:var(--accent);background:var(--accent-soft)}
.avatar{display:inline-grid;flex:none;place-items:center;width:32px;height:32px;border-radius:50%;background:linear-gradient(135deg,#7C3AED,#E84D8B);color:#fff;font-size:13px;font-weight:700}
.user>span:last-child{display:flex;flex-direction:column;line-height:1.35}
.user small{color:var(--muted);font-size:13px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;color:var(--text)}
`

const logo = `<svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#7C3AED"/><stop offset="1" stop-color="#E84D8B"/></linearGradient></defs><rect width="32" height="32" rx="8" fill="url(#g)"/><path d="M11 8v16h6.2c3.1 0 5-1.6 5-4.3 0-1.9-1.1-3.2-2.8-3.6 1.4-.5 2.2-1.7 2.2-3.2 0-2.4-1.8-4-4.7-4H11Zm3 2.6h2.6c1.4 0 2.2.7 2.2 1.9s-.8 1.9-2.2 1.9H14v-3.8Zm0 6.3h2.9c1.6 0 2.4.7 2.4 2s-.8 2.1-2.4 2.1H14v-4.1Z" fill="#fff"/></svg>`

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)} · bezzie local IdP</title>
<style>${styles}</style>
</head>
<body>
<header><p class="brand">${logo}<span>bezzie</span><span class="pill">local IdP</span></p></header>
<main>
${body}
</main>
</body>
</html>`
}

export interface LoginPageOptions {
  /** Where the form posts to. */
  action: string
  /** Where "Cancel" goes: the interaction's abort route, which answers the client `access_denied`. */
  abort: string
  /** Name of the client asking the user to sign in. */
  clientName: string
  users: readonly DemoUser[]
  /** Username to prefill (after a failed attempt, or a demo user picked from the list). */
  username?: string
  /** Password to prefill: only ever the public demo password, for a demo user picked from the list. */
  password?: string
  error?: string
}

/**
 * The sign-in form: fields `username` and `password`, a Cancel link, and the demo users, each a
 * link that reloads the form filled in for them (no script: the page's CSP allows none).
 */
export function loginPage(options: LoginPageOptions): string {
  const error = options.error
    ? `<div class="error" role="alert">${escapeHtml(options.error)}</div>`
    : ''
  const filled = options.password !== undefined
  const users = options.users
    .map(
      (user) =>
        `<li><a class="user" href="?user=${encodeURIComponent(user.username)}"><span class="avatar" aria-hidden="true">${escapeHtml(user.name.charAt(0))}</span><span>${escapeHtml(user.name)}<small>Fill in as <code>${escapeHtml(user.username)}</code></small></span></a></li>`,
    )
    .join('')
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
<p>to continue to <span class="client">${escapeHtml(options.clientName)}</span></p>
${error}
<form method="post" action="${escapeHtml(options.action)}" autocomplete="off">
<label for="username">Username</label>
<input id="username" name="username" required${options.username ? '' : ' autofocus'} value="${escapeHtml(options.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" required${options.username && !filled ? ' autofocus' : ''} value="${escapeHtml(options.password ?? '')}">
<div class="actions">
<button type="submit"${filled ? ' autofocus' : ''}>Sign in</button>
<a class="cancel" href="${escapeHtml(options.abort)}">Cancel and go back</a>
</div>
</form>
<section class="users" aria-labelledby="demo-users">
<h2 id="demo-users">Demo users</h2>
<p>Pick one to fill in the form; the password is <code>${escapeHtml(DEMO_PASSWORD)}</code>.</p>
<ul>${users}</ul>
</section>`,
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
