import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { cloudflareKVAdapter } from '../../src/adapters/kv.ts'
import { MemoryAdapter } from '../../src/adapters/memory.ts'
import type { BezzieConfig } from '../../src/config.ts'
import { createBezzie } from '../../src/create-bezzie.ts'
import { ConfigError } from '../../src/errors.ts'
import { providers } from '../../src/providers.ts'
import { BASE_URL, CLIENT_ID, CLIENT_SECRET } from '../support/constants.ts'

const adapter = new MemoryAdapter()
/** A fresh config object each call, as the seed's per-request setup builds one. */
const config = (extra: Partial<BezzieConfig> = {}): BezzieConfig => ({
  ...providers.auth0('tenant.example.com'),
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  baseUrl: BASE_URL,
  adapter,
  routes: { basePath: '/auth' },
  scopes: ['openid', 'profile'],
  ...extra,
})

describe('createBezzie per request', () => {
  it('an equal configuration built afresh returns the instance already built', () => {
    const a = createBezzie(config())
    const b = createBezzie(config())
    expect(b).toBe(a)
    expect(b.middleware()).toBe(a.middleware())
  })

  it('the seed pattern hits too: the KV adapter and presets give the same objects per binding', () => {
    expect(cloudflareKVAdapter(env.SESSION_KV)).toBe(cloudflareKVAdapter(env.SESSION_KV))
    expect(providers.auth0('tenant.example.com').buildLogoutUrl).toBe(
      providers.auth0('tenant.example.com').buildLogoutUrl,
    )
    expect(providers.auth0('other.example.com').buildLogoutUrl).not.toBe(
      providers.auth0('tenant.example.com').buildLogoutUrl,
    )
    const kv = () => config({ adapter: cloudflareKVAdapter(env.SESSION_KV) })
    expect(createBezzie(kv())).toBe(createBezzie(kv()))
  })

  it.each<[string, Partial<BezzieConfig>]>([
    ['a different setting', { sessionTtlSeconds: 7200 }],
    ['a nested setting', { routes: { basePath: '/other' } }],
    ['a different scope list', { scopes: ['openid'] }],
    ['another adapter with the same shape', { adapter: new MemoryAdapter() }],
    ['another hook function with the same code', { onError: () => {} }],
    ['an extra option', { clockToleranceSeconds: 60 }],
    ['a grouped setting', { session: { idleTtlSeconds: 7200 } }],
    ['a grouped hook with the same code', { hooks: { onError: () => {} } }],
  ])('%s gets its own instance', (_n, extra) => {
    expect(createBezzie(config(extra))).not.toBe(createBezzie(config()))
  })

  it('hooks are compared by identity, so the instance calls the hook it was given', () => {
    const hook = () => {}
    expect(createBezzie(config({ onError: hook }))).toBe(createBezzie(config({ onError: hook })))
    const grouped = () => config({ hooks: { onError: hook }, session: { idleTtlSeconds: 7200 } })
    expect(createBezzie(grouped())).toBe(createBezzie(grouped()))
  })

  it('a config object mutated after the call is compared by its new contents', () => {
    const shared = config({ sessionTtlSeconds: 3600 })
    const first = createBezzie(shared)
    shared.sessionTtlSeconds = 1800
    const second = createBezzie(shared)
    expect(second).not.toBe(first)
    expect(createBezzie(config({ sessionTtlSeconds: 3600 }))).toBe(first)
  })

  it('an invalid configuration throws on every call, never served from the memo', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => createBezzie(config({ sessionTtlSeconds: 5 }))).toThrow(ConfigError)
    }
  })
})
