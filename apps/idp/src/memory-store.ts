import type { Adapter, AdapterPayload } from 'oidc-provider'

interface Entry {
  payload: AdapterPayload
  /** Epoch milliseconds; undefined means no expiry. */
  expiresAt: number | undefined
}

const grantBound = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
])

/**
 * In-memory storage for one provider instance. Unlike oidc-provider's bundled adapter it is not
 * shared across instances in a process (tests run several IdPs side by side) and it can list
 * sessions, which `endSession(sub)` needs.
 */
export class MemoryStore {
  readonly #entries = new Map<string, Entry>()
  readonly #reuseIntervalMs: number

  /**
   * @param reuseIntervalSeconds How long (in seconds) after its first use a rotated refresh token
   *   still works (the provider sees it unconsumed). 0: never (any reuse revokes the grant).
   */
  constructor({ reuseIntervalSeconds = 0 }: { reuseIntervalSeconds?: number } = {}) {
    this.#reuseIntervalMs = reuseIntervalSeconds * 1000
  }

  adapterFor(model: string): Adapter {
    const key = (id: string) => `${model}:${id}`
    return {
      upsert: async (id, payload, expiresIn) => {
        const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : undefined
        this.#entries.set(key(id), { payload: structuredClone(payload), expiresAt })
      },
      find: async (id) => {
        const payload = this.#read(key(id))
        // A reuse interval (Auth0's "reuse interval", Okta's "grace period"): within it a rotated
        // refresh token is served as if it had not been used, so its reuse rotates again instead
        // of revoking the grant.
        if (
          model === 'RefreshToken' &&
          typeof payload?.consumed === 'number' &&
          Date.now() - payload.consumed * 1000 < this.#reuseIntervalMs
        ) {
          delete payload.consumed
        }
        return payload
      },
      findByUid: async (uid) => this.#findBy(model, (payload) => payload.uid === uid),
      findByUserCode: async (userCode) =>
        this.#findBy(model, (payload) => payload.userCode === userCode),
      consume: async (id) => {
        const entry = this.#entries.get(key(id))
        // The first use counts: a reuse within the interval does not extend it.
        if (entry && entry.payload.consumed === undefined) {
          entry.payload.consumed = Math.floor(Date.now() / 1000)
        }
      },
      destroy: async (id) => {
        this.#entries.delete(key(id))
      },
      revokeByGrantId: async (grantId) => {
        this.#deleteGrantBound(grantId)
      },
    }
  }

  /** Live payloads stored for a model, e.g. every `Session`. */
  list(model: string): AdapterPayload[] {
    const prefix = `${model}:`
    const found: AdapterPayload[] = []
    for (const entryKey of this.#entries.keys()) {
      if (!entryKey.startsWith(prefix)) continue
      const payload = this.#read(entryKey)
      if (payload) found.push(payload)
    }
    return found
  }

  /** Deletes one stored payload. */
  remove(model: string, id: string): void {
    this.#entries.delete(`${model}:${id}`)
  }

  /** Deletes a grant and every token issued under it. */
  revokeGrant(grantId: string): void {
    this.#entries.delete(`Grant:${grantId}`)
    this.#deleteGrantBound(grantId)
  }

  clear(): void {
    this.#entries.clear()
  }

  #deleteGrantBound(grantId: string): void {
    for (const [entryKey, entry] of this.#entries) {
      const entryModel = entryKey.slice(0, entryKey.indexOf(':'))
      if (grantBound.has(entryModel) && entry.payload.grantId === grantId) {
        this.#entries.delete(entryKey)
      }
    }
  }

  #read(entryKey: string): AdapterPayload | undefined {
    const entry = this.#entries.get(entryKey)
    if (!entry) return undefined
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.#entries.delete(entryKey)
      return undefined
    }
    return structuredClone(entry.payload)
  }

  #findBy(model: string, match: (payload: AdapterPayload) => boolean): AdapterPayload | undefined {
    return this.list(model).find(match)
  }
}
