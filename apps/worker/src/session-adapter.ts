import type { SessionAdapter } from 'bezzie'
import { cloudflareKVAdapter } from 'bezzie/cloudflare'
import { durableObjectAdapter } from 'bezzie/durable-object'
import type { SessionStoreKind } from './worker-config.ts'

/**
 * The session store `SESSION_STORE` selects. KV is the default; the Durable Object store adds a
 * cross-isolate refresh lock and the session index that back-channel logout needs.
 */
export function sessionAdapter(env: Env, kind: SessionStoreKind): SessionAdapter {
  return kind === 'durable-object'
    ? durableObjectAdapter(env.SESSION_DO)
    : cloudflareKVAdapter(env.SESSION_KV)
}
