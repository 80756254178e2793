import { Hono } from 'hono'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import type { ProxyOptions } from '../../src/proxy.ts'
import type { BezzieEnv } from '../../src/types.ts'
import { BASE_URL } from './constants.ts'

/**
 * A signed-in session (user `alice`, an access token valid for an hour) in front of
 * `auth.proxy()` mounted at `/api/proxy/*` behind the middleware. Runtime-neutral: workerd tests
 * use it too, so no Node-only imports here.
 */
export async function proxyApp(options: ProxyOptions, accessToken = 'the-access-token') {
  const auth = createBezzie({
    issuer: 'https://idp.example.com',
    clientId: 'c',
    adapter: new MemoryAdapter(),
    baseUrl: BASE_URL,
  })
  const app = new Hono<BezzieEnv>()
  app.use('/api/*', auth.middleware())
  app.all('/api/proxy/*', auth.proxy({ stripPrefix: '/api/proxy', ...options }))
  const { cookie } = await auth.sessions.create({
    user: { sub: 'alice' },
    tokens: { accessToken, expiresAt: Math.floor(Date.now() / 1000) + 3600 },
  })
  return { app, cookie }
}
