import { type BezzieEnv, cloudflareKVAdapter, createBezzie, type KVNamespaceLike } from 'bezzie'
import { type Context, Hono } from 'hono'

interface Bindings {
  SESSION_KV: KVNamespaceLike
  ISSUER: string
  CLIENT_ID: string
  CLIENT_SECRET: string
  AUDIENCE: string
  BASE_URL: string
}

type Env = { Bindings: Bindings } & BezzieEnv

/** The demo's pattern: a fresh `createBezzie` inside every request, with the KV store. */
const auth = (env: Bindings) =>
  createBezzie({
    issuer: env.ISSUER,
    clientId: env.CLIENT_ID,
    clientSecret: env.CLIENT_SECRET,
    audience: env.AUDIENCE,
    adapter: cloudflareKVAdapter(env.SESSION_KV),
    baseUrl: env.BASE_URL,
  })

const app = new Hono<Env>()

// Baseline: same JSON, no authentication.
app.get('/bare', (c) => c.json({ user: { sub: 'alice', email: 'alice@example.com' } }))

app.all('/auth/*', (c) =>
  new Hono().route('/auth', auth(c.env).routes()).fetch(c.req.raw, c.env, c.executionCtx),
)
app.use('/api/*', (c, next) => auth(c.env).middleware()(c as unknown as Context<BezzieEnv>, next))
app.get('/api/user', (c) => c.json({ user: { sub: c.var.user.sub, email: c.var.user.email } }))

export default app
