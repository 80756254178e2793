import type { SessionAdapter } from 'bezzie'
import { cloudflareKVAdapter } from 'bezzie/cloudflare'
import { durableObjectAdapter } from 'bezzie/durable-object'
import type { SessionStoreKind } from './worker-config.ts'

/**
 * The session store `SESSION_STORE` selects. KV is the default, with its coordinator when
 * `SESSION_COORDINATOR` is bound (as in wrangler.jsonc): sessions are read from KV at the edge,
 * while the refresh lock, compare-and-set, logout tombstones and the session index (back-channel
 * logout, "your devices") live in that Durable Object. The Durable Object store keeps everything
 * in Durable Objects.
 */
export function sessionAdapter(env: Env, kind: SessionStoreKind): SessionAdapter {
  if (kind === 'durable-object') return durableObjectAdapter(env.SESSION_DO)
  return env.SESSION_COORDINATOR
    ? cloudflareKVAdapter(env.SESSION_KV, { coordinator: env.SESSION_COORDINATOR })
    : cloudflareKVAdapter(env.SESSION_KV)
}

/** Whether the selected store has a session index (back-channel logout, "your devices"). */
export function hasSessionIndex(env: Env, kind: SessionStoreKind): boolean {
  return kind === 'durable-object' || Boolean(env.SESSION_COORDINATOR)
}
