// The upstream README's snippets, verbatim apart from the imports' path and the `env`/`app`
// declarations the README leaves implicit. `pnpm typecheck` compiles this file: if the seed API
// drifts, the build breaks.
import { Redis } from '@upstash/redis/cloudflare'
import { Hono } from 'hono'
import {
  cloudflareKVAdapter,
  createBezzie,
  MemoryAdapter,
  providers,
  redisAdapter,
} from '../../src/index.ts'

declare const env: {
  AUTH0_CLIENT_SECRET: string
  SESSION_KV: KVNamespace
  UPSTASH_REDIS_REST_URL: string
  UPSTASH_REDIS_REST_TOKEN: string
}
const app = new Hono()

const auth = createBezzie({
  ...providers.auth0('your-tenant.auth0.com'),
  clientId: 'xxx',
  clientSecret: env.AUTH0_CLIENT_SECRET,
  audience: 'https://api.yourproject.com',
  adapter: cloudflareKVAdapter(env.SESSION_KV),
  baseUrl: 'https://app.yourproject.com',
})

// Mount auth routes
app.route('/auth', auth.routes())

// Protect API routes
app.use('/api/*', auth.middleware())

app.get('/api/me', (c) => c.json(c.var.user))

app.get('/api/me', (c) => {
  const user = c.var.user
  const token = c.var.accessToken
  return c.json({ user, token: typeof token })
})

app.all('/api/proxy/*', async (c) => {
  const url = new URL(c.req.url)
  const target = `https://api.upstream.com${url.pathname}${url.search}`
  return fetch(target, {
    method: c.req.method,
    headers: {
      ...c.req.header(),
      Authorization: `Bearer ${c.var.accessToken}`,
    },
    body: c.req.raw.body,
  })
})

export const redis = createBezzie({
  ...providers.auth0('your-tenant.auth0.com'),
  clientId: 'xxx',
  baseUrl: 'https://app.yourproject.com',
  adapter: redisAdapter(
    new Redis({
      url: env.UPSTASH_REDIS_REST_URL,
      token: env.UPSTASH_REDIS_REST_TOKEN,
    }),
  ),
})

export const memory = createBezzie({
  issuer: 'https://tenant.auth0.com',
  clientId: 'xxx',
  baseUrl: 'https://app.yourproject.com',
  adapter: new MemoryAdapter(),
})

export { app }
