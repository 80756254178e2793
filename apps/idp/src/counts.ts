/** Endpoint names counted by the IdP; a `grant:<grant_type>` key is counted per token request. */
export const countedEndpoints = [
  'discovery',
  'jwks',
  'authorization',
  'token',
  'userinfo',
  'revocation',
  'introspection',
  'end_session',
  'backchannel_logout',
] as const

function isCountedKey(key: string): boolean {
  return key.startsWith('grant:') || (countedEndpoints as readonly string[]).includes(key)
}

/** Request counters with a read-only view in which every known key reads as 0 until counted. */
export class Counts {
  readonly #values: Record<string, number> = {}
  readonly view: Readonly<Record<string, number>>

  constructor() {
    const values = this.#values
    this.view = new Proxy(values, {
      get: (target, key) =>
        typeof key === 'string' && isCountedKey(key)
          ? (target[key] ?? 0)
          : Reflect.get(target, key),
      set: () => false,
      deleteProperty: () => false,
      defineProperty: () => false,
    })
  }

  increment(key: string): void {
    this.#values[key] = (this.#values[key] ?? 0) + 1
  }

  /** A plain copy; every known endpoint and the two bezzie grants appear, 0 when not counted. */
  snapshot(): Record<string, number> {
    const zeros = Object.fromEntries(
      [...countedEndpoints, 'grant:authorization_code', 'grant:refresh_token'].map((key) => [
        key,
        0,
      ]),
    )
    return { ...zeros, ...this.#values }
  }

  reset(): void {
    for (const key of Object.keys(this.#values)) delete this.#values[key]
  }
}
