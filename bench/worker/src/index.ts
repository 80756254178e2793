import { getAuth, initOidcAuthMiddleware, oidcAuthMiddleware } from '@hono/oidc-auth'
import {
  type BezzieEnv,
  cloudflareKVAdapter,
  createBezzie,
  type KVCoordinatorNamespace,
  type KVNamespaceLike,
  MemoryAdapter,
  type SessionAdapter,
} from 'bezzie'
import { type BezzieSessionStoreNamespace, durableObjectAdapter } from 'bezzie/durable-object'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { CountingAdapter } from '../../src/lib/counting-adapter.ts'

export { BezzieKVCoordinator, BezzieSessionStore } from 'bezzie/durable-object'

interface Bindings {
  SESSION_KV: KVNamespaceLike & {
    list(options: { prefix: string }): Promise<{ keys: { name: string }[] }>
  }
  SESSION_STORE: BezzieSessionStoreNamespace
  SESSION_COORDINATOR: KVCoordinatorNamespace
  /** IdP with long-lived access tokens. */
  ISSUER: string
  /** IdP with seconds-long access tokens and refresh-token rotation (storms). */
  ISSUER_SHORT: string
  CLIENT_ID: string
  CLIENT_SECRET: string
  AUDIENCE: string
  BASE_URL: string
  SECRET: string
  OIDC_AUTH_CLIENT_ID: string
  OIDC_AUTH_CLIENT_SECRET: string
  OIDC_AUTH_SESSION_SECRET: string
}

type Env = { Bindings: Bindings } & BezzieEnv

// An isolate-local store: separates bezzie's own CPU cost from the KV round trip.
const memory = new MemoryAdapter()

/** The isolate-memory variants, each mounted at `/<variant>` (routes at `/<variant>/auth`). */
const MEMORY_VARIANTS = {
  mem: {},
  'mem-secret': { secret: true },
  'mem-validate': { validateAccessToken: true },
} as const
type Variant = keyof typeof MEMORY_VARIANTS

/** The demo's pattern: a fresh `createBezzie` inside every request, with the KV store. */
const auth = (env: Bindings, store: 'kv' | Variant = 'kv') => {
  const variant: { secret?: boolean; validateAccessToken?: boolean } =
    store === 'kv' ? {} : MEMORY_VARIANTS[store]
  return createBezzie({
    issuer: env.ISSUER,
    clientId: env.CLIENT_ID,
    clientSecret: env.CLIENT_SECRET,
    audience: env.AUDIENCE,
    adapter: store === 'kv' ? cloudflareKVAdapter(env.SESSION_KV) : memory,
    baseUrl: env.BASE_URL,
    ...(store === 'kv' ? {} : { routes: { basePath: `/${store}/auth` } }),
    ...(variant.secret ? { secret: env.SECRET } : {}),
    ...(variant.validateAccessToken ? { validateAccessToken: true } : {}),
  })
}

// One counter per store for this isolate (wrangler dev runs one), read by the bench over HTTP.
const counters = new Map<string, CountingAdapter>()
function counted(store: string, env: Bindings): SessionAdapter {
  let counter = counters.get(store)
  if (!counter) {
    const inner =
      store === 'do'
        ? durableObjectAdapter(env.SESSION_STORE)
        : store === 'kvc'
          ? cloudflareKVAdapter(env.SESSION_KV, { coordinator: env.SESSION_COORDINATOR })
          : cloudflareKVAdapter(env.SESSION_KV)
    counter = new CountingAdapter(inner)
    counters.set(store, counter)
  }
  return counter.adapter
}

/** Refresh buffer (seconds) per profile: `refresh` makes every request refresh. */
const BUFFER: Record<string, number | undefined> = { long: undefined, refresh: 86_400, short: 2 }

const userJson = (c: Context<Env>) =>
  c.json({ user: { sub: c.var.user.sub, email: c.var.user.email } })

const app = new Hono<Env>()

// Baseline: same JSON, no authentication.
app.get('/bare', (c) => c.json({ user: { sub: 'alice', email: 'alice@example.com' } }))

// The Hono peer for comparison: @hono/oidc-auth, its whole session in a signed cookie (no store).
const oidcAuthConfig: MiddlewareHandler<{ Bindings: Bindings }> = (c, next) =>
  initOidcAuthMiddleware({
    OIDC_AUTH_SECRET: c.env.OIDC_AUTH_SESSION_SECRET,
    OIDC_ISSUER: c.env.ISSUER,
    OIDC_CLIENT_ID: c.env.OIDC_AUTH_CLIENT_ID,
    OIDC_CLIENT_SECRET: c.env.OIDC_AUTH_CLIENT_SECRET,
    OIDC_REDIRECT_URI: '/callback',
    OIDC_SCOPES: 'openid profile email',
  })(c, next)
app.use('/callback', oidcAuthConfig, oidcAuthMiddleware())
app.use('/oidc/*', oidcAuthConfig, oidcAuthMiddleware())
app.get('/oidc/api/user', async (c) => {
  const auth = await getAuth(c)
  return c.json({ user: { sub: auth?.sub, email: auth?.email } })
})

// Baseline plus one KV read: what the store alone costs.
app.get('/kv-read', async (c) => {
  await c.env.SESSION_KV.get('bench:absent')
  return c.json({ user: { sub: 'alice', email: 'alice@example.com' } })
})

// Baseline plus one KV read that finds a value: a copy of a real session (see below). Miniflare
// answers a miss from its SQLite index alone; a hit also reads and streams the value's blob.
app.get('/kv-read-hit', async (c) => {
  await c.env.SESSION_KV.get(SESSION_COPY)
  return c.json({ user: { sub: 'alice', email: 'alice@example.com' } })
})

const SESSION_COPY = 'bench:session-copy'
// Copies the stored value of the first bezzie session in KV (the bench logs in once before) to
// SESSION_COPY, so /kv-read-hit reads exactly what /api/user reads. Answers its size in bytes.
app.post('/__bench/kv-copy-session', async (c) => {
  const { keys } = await c.env.SESSION_KV.list({ prefix: 'bezzie:s:' })
  const first = keys[0]
  const value = first ? await c.env.SESSION_KV.get(first.name) : null
  if (value === null) return c.json({ error: 'no session in KV' }, 404)
  await c.env.SESSION_KV.put(SESSION_COPY, value)
  return c.json({ bytes: new TextEncoder().encode(value).length })
})

for (const variant of Object.keys(MEMORY_VARIANTS) as Variant[]) {
  app.all(`/${variant}/auth/*`, (c) =>
    new Hono()
      .route(`/${variant}/auth`, auth(c.env, variant).routes())
      .fetch(c.req.raw, c.env, c.executionCtx),
  )
  app.use(`/${variant}/api/*`, (c, next) =>
    auth(c.env, variant).middleware()(c as unknown as Context<BezzieEnv>, next),
  )
  app.get(`/${variant}/api/user`, userJson)
}

const coldCookies = new Map<string, string[]>()
/** Where each cold variant's cycle goes on (see the loop route). */
const coldNext = new Map<string, number>()

// The floor: what any store-backed session costs at least. The session cookie, one `get` from the
// same isolate store (keyed by the cookie value: no hashing), `JSON.parse` of a copy of the real
// stored record, `c.set`. No decryption, expiry or refresh logic.
app.use('/floor/api/*', async (c, next) => {
  const id = getCookie(c, 'session', 'host')
  const raw = id ? await memory.get(`floor:${id}`) : null
  if (raw === null) return c.json({ error: 'unauthorized' }, 401)
  c.set('user', (JSON.parse(raw) as { user: Env['Variables']['user'] }).user)
  await next()
})
app.get('/floor/api/user', userJson)

// Seeds the floor's record for a session id (the bench sends a real stored record).
app.post('/__bench/seed-floor', async (c) => {
  const { id, record } = await c.req.json<{ id: string; record: string }>()
  await memory.set(`floor:${id}`, record, { ttlSeconds: 3600 })
  return c.json({ ok: true })
})

// The floor plus what a cache miss with `validateAccessToken` cannot avoid: one Web Crypto
// verification of the record's access token (RS256, the IdP's key imported once per isolate).
type VerifyKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>
let idpKeys: Promise<Map<string, VerifyKey>> | undefined
const importIdpKeys = async (issuer: string) => {
  const meta = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
    jwks_uri: string
  }
  const { keys } = (await (await fetch(meta.jwks_uri)).json()) as {
    keys: { kty: string; kid: string; alg?: string; use?: string }[]
  }
  const byKid = new Map<string, VerifyKey>()
  for (const jwk of keys) {
    if (jwk.kty !== 'RSA') continue
    const { alg: _a, use: _u, kid, ...data } = jwk
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
    byKid.set(kid, await crypto.subtle.importKey('jwk', data, algorithm, false, ['verify']))
  }
  return byKid
}
/** workerd's native base64 (the same decoder bezzie uses there). */
const native = Uint8Array as unknown as {
  fromBase64(s: string, o: { alphabet: 'base64url' }): Uint8Array<ArrayBuffer>
}
const b64u = (s: string) => native.fromBase64(s, { alphabet: 'base64url' })
app.use('/floor-verify/api/*', async (c, next) => {
  const id = getCookie(c, 'session', 'host')
  const raw = id ? await memory.get(`floor:${id}`) : null
  if (raw === null) return c.json({ error: 'unauthorized' }, 401)
  const record = JSON.parse(raw) as {
    user: Env['Variables']['user']
    tokens: { accessToken: string }
  }
  const [h, p, sig] = record.tokens.accessToken.split('.') as [string, string, string]
  const { kid } = JSON.parse(new TextDecoder().decode(b64u(h))) as { kid: string }
  idpKeys ??= importIdpKeys(c.env.ISSUER)
  const key = (await idpKeys).get(kid)
  const input = new TextEncoder().encode(`${h}.${p}`)
  if (!key || !(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, b64u(sig), input)))
    return c.json({ error: 'unauthorized' }, 401)
  c.set('user', record.user)
  await next()
})
app.get('/floor-verify/api/user', userJson)

// Copies the stored records of the cold sessions of `mem` (bezzie's own bytes) under the floor's
// keys, so the floor routes can cycle through them with the same cookies (cold=floor).
app.post('/__bench/cold-floor', async (c) => {
  const cookies = coldCookies.get('mem') ?? []
  for (const cookie of cookies) {
    const id = cookie.split('=')[1] as string
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(id))
    const bytes = new Uint8Array(digest) as Uint8Array & {
      toBase64(o: { alphabet: 'base64url'; omitPadding: true }): string
    }
    const key = `bezzie:s:${bytes.toBase64({ alphabet: 'base64url', omitPadding: true })}`
    const raw = await memory.get(key)
    if (raw === null) return c.json({ error: `no record for ${key}` }, 500)
    await memory.set(`floor:${id}`, raw, { ttlSeconds: 3600 })
  }
  coldCookies.set('floor', cookies)
  return c.json({ count: cookies.length })
})

// Cold sessions per variant: many real sessions (contents from real logins and refresh grants),
// created in this isolate with `auth.sessions.create`, cycled through by the loop route.
// `?refresh=1` (validateAccessToken): each is created due and then refreshed by bezzie itself (one
// request through the variant's middleware: a real refresh grant at the IdP), so the stored
// record is what bezzie writes after a refresh, including its mark of the new token's verification.
app.post('/__bench/cold/:variant', async (c) => {
  const variant = c.req.param('variant') as Variant
  if (!(variant in MEMORY_VARIANTS)) return c.notFound()
  const refresh = c.req.query('refresh') === '1'
  const sessions =
    await c.req.json<Parameters<ReturnType<typeof auth>['sessions']['create']>[0][]>()
  const cookies: string[] = []
  const instance = auth(c.env, variant)
  const due = Math.floor(Date.now() / 1000)
  for (const s of sessions) {
    const contents = refresh ? { ...s, tokens: { ...s.tokens, expiresAt: due } } : s
    cookies.push((await instance.sessions.create(contents)).cookie)
  }
  let refreshed = 0
  if (refresh) {
    for (const cookie of cookies) {
      const request = new Request(`${c.env.BASE_URL}/${variant}/api/user`, {
        headers: { cookie },
      })
      const res = await app.fetch(request, c.env, c.executionCtx)
      await res.arrayBuffer()
      if (res.status === 200) refreshed++
    }
  }
  coldCookies.set(variant, cookies)
  return c.json({ count: cookies.length, refreshed })
})

// CPU per request measured inside the isolate: one HTTP request runs `n` requests through this
// same app in a loop (no network, no Miniflare proxy per request); the bench reads the workerd
// process's CPU time around it. `cold=<variant>` cycles through that variant's cold sessions.
app.get('/__bench/loop', async (c) => {
  const path = c.req.query('path') ?? '/bare'
  const n = Number(c.req.query('n') ?? '100')
  const cold = c.req.query('cold')
  const cookies = cold ? (coldCookies.get(cold) ?? []) : [c.req.header('x-bench-cookie') ?? '']
  if (cookies.length === 0) return c.json({ error: `no cold sessions for ${cold}` }, 400)
  // The cycle goes on where the previous sample of this variant stopped: restarting at the first
  // session each time, a sample smaller than bezzie's caches (1,000) would find the sessions of
  // the last one still cached, and the cold row would be measured warm.
  const start = cold ? (coldNext.get(cold) ?? 0) : 0
  if (cold) coldNext.set(cold, (start + n) % cookies.length)
  let ok = 0
  for (let i = 0; i < n; i++) {
    const request = new Request(`${c.env.BASE_URL}${path}`, {
      headers: { cookie: cookies[(start + i) % cookies.length] as string },
    })
    const res = await app.fetch(request, c.env, c.executionCtx)
    await res.arrayBuffer()
    if (res.status === 200) ok++
  }
  return c.json({ n, ok })
})

app.all('/auth/*', (c) =>
  new Hono().route('/auth', auth(c.env).routes()).fetch(c.req.raw, c.env, c.executionCtx),
)
app.use('/api/*', (c, next) => auth(c.env).middleware()(c as unknown as Context<BezzieEnv>, next))
app.get('/api/user', userJson)

app.get('/__bench/counts/:store', (c) => {
  const counter = counters.get(c.req.param('store'))
  return c.json(counter ? counter.take() : null)
})

app.all('/x/:store/:profile/:enc/*', (c) => {
  const { store, profile, enc } = c.req.param()
  if (
    !['kv', 'kvc', 'do'].includes(store) ||
    !(profile in BUFFER) ||
    !['plain', 'secret'].includes(enc)
  )
    return c.notFound()
  const prefix = `/x/${store}/${profile}/${enc}`
  const buffer = BUFFER[profile]
  const scoped = createBezzie({
    issuer: profile === 'short' ? c.env.ISSUER_SHORT : c.env.ISSUER,
    clientId: c.env.CLIENT_ID,
    clientSecret: c.env.CLIENT_SECRET,
    audience: c.env.AUDIENCE,
    adapter: counted(store, c.env),
    baseUrl: c.env.BASE_URL,
    routes: { basePath: `${prefix}/auth` },
    ...(buffer !== undefined ? { refreshBufferSeconds: buffer } : {}),
    ...(enc === 'secret' ? { secret: c.env.SECRET } : {}),
  })
  const sub = new Hono<Env>()
  sub.route(`${prefix}/auth`, scoped.routes())
  sub.use(`${prefix}/api/*`, scoped.middleware())
  sub.get(`${prefix}/api/user`, userJson)
  return sub.fetch(c.req.raw, c.env, c.executionCtx)
})

export default app
