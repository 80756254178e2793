import type { ResolvedConfig } from '../config.ts'
import type { StoreError } from '../errors.ts'
import { openValue, sealValue } from './codec.ts'
import { type GuardedAdapter, guardAdapter } from './guarded-adapter.ts'
import { jtiKey, resourceTokenKey, transactionKey, usedTransactionKey } from './keys.ts'
import { nowSeconds } from './record.ts'

/** Store TTL floor: Cloudflare KV rejects `expirationTtl` below 60 seconds. */
export const MIN_TTL = 60

/** A session's access token for another API. Times are epoch seconds. */
export interface ResourceToken {
  accessToken: string
  expiresAt: number
}

/**
 * The records the store keeps beside sessions: login transactions and their one-use markers,
 * back-channel logout token ids (`jti`) seen, and a session's access tokens for other APIs. The
 * base of `SessionStore` (store.ts), which owns the adapter through the same guarded wrapper.
 */
export class SideRecords {
  protected readonly config: ResolvedConfig
  protected readonly adapter: GuardedAdapter

  constructor(config: ResolvedConfig, report: (error: StoreError) => void = () => {}) {
    this.config = config
    this.adapter = guardAdapter(config.adapter, config.timeouts.storeMs, report)
  }

  /**
   * The access token for another API (`resource`) kept beside the session under `key`, as stored
   * by {@link writeResourceToken}; `null` when missing or unreadable. Sealed like sessions when a
   * `secret` is configured.
   */
  async readResourceToken(key: string, resource: string): Promise<ResourceToken | null> {
    const tokenKey = await resourceTokenKey(key, resource)
    const raw = await this.adapter.get(tokenKey)
    if (raw === null) return null
    const json = await openValue(this.config.secrets, tokenKey, raw)
    if (json === null) return null
    try {
      const value = JSON.parse(json) as Partial<ResourceToken>
      if (typeof value.accessToken !== 'string' || typeof value.expiresAt !== 'number') return null
      return { accessToken: value.accessToken, expiresAt: value.expiresAt }
    } catch {
      return null
    }
  }

  /** Keeps `token` for the session under `key` and `resource` until it expires. */
  async writeResourceToken(key: string, resource: string, token: ResourceToken): Promise<void> {
    const tokenKey = await resourceTokenKey(key, resource)
    const json = JSON.stringify(token)
    const value = await sealValue(this.config.secrets, tokenKey, json)
    const ttlSeconds = Math.max(MIN_TTL, token.expiresAt - nowSeconds())
    await this.adapter.set(tokenKey, value, { ttlSeconds })
  }

  /** Keeps the login transaction `id` (its value opaque here) for `ttlSeconds`. */
  async saveTransaction(id: string, value: string, ttlSeconds: number): Promise<void> {
    await this.adapter.set(await transactionKey(id), value, { ttlSeconds })
  }

  /** The login transaction `id`, or `null`. */
  async readTransaction(id: string): Promise<string | null> {
    return this.adapter.get(await transactionKey(id))
  }

  /** Deletes the login transaction `id` (one use). */
  async deleteTransaction(id: string): Promise<void> {
    await this.adapter.delete(await transactionKey(id))
  }

  /**
   * Marks the sealed login transaction of `state` used for `ttlSeconds` (raised to the store
   * minimum); `false` when it was marked before (a replayed cookie). Atomic with `setIfAbsent`.
   */
  async markTransactionUsed(state: string, ttlSeconds: number): Promise<boolean> {
    return this.#once(await usedTransactionKey(state), ttlSeconds)
  }

  async #once(key: string, ttlSeconds: number): Promise<boolean> {
    const adapter = this.adapter
    const options = { ttlSeconds: Math.max(MIN_TTL, Math.ceil(ttlSeconds)) }
    if (adapter.setIfAbsent) return adapter.setIfAbsent(key, '1', options)
    if ((await adapter.get(key)) !== null) return false
    await adapter.set(key, '1', options)
    return true
  }

  /**
   * Records `jti` on its first use and returns a way to forget it again (when the logout it
   * carried could not be done), or `null` when it was seen before. Atomic with `setIfAbsent`;
   * otherwise a read then a write, which a replay racing the original within the store's latency
   * could slip through.
   */
  async rememberOnce(jti: string, ttlSeconds: number): Promise<{ forget(): Promise<void> } | null> {
    const key = await jtiKey(jti)
    if (!(await this.#once(key, ttlSeconds))) return null
    return { forget: () => this.adapter.delete(key) }
  }
}
