import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from './http-utils.ts'

/** Endpoints that can be made to misbehave. */
export type FaultEndpoint = 'token' | 'jwks' | 'discovery' | 'revocation'

/**
 * How a faulted endpoint misbehaves:
 * - `http500` / `http503`: answers with that status and an OAuth `server_error` / `temporarily_unavailable` JSON body;
 * - `timeout`: accepts the request and never answers (until the IdP stops);
 * - `reset`: destroys the TCP connection without a response.
 */
export type FaultMode = 'http500' | 'http503' | 'timeout' | 'reset'

/** Fault injection controls. Development and tests only. */
export interface Faults {
  /**
   * Makes `endpoint` misbehave for the next `times` requests (default: until cleared).
   * `mode: null` clears that endpoint's fault.
   */
  set(endpoint: FaultEndpoint, mode: FaultMode | null, times?: number): void
  /** Clears every fault. */
  clear(): void
}

export const faultEndpoints: readonly FaultEndpoint[] = ['token', 'jwks', 'discovery', 'revocation']
export const faultModes: readonly FaultMode[] = ['http500', 'http503', 'timeout', 'reset']

export class FaultTable implements Faults {
  readonly #active = new Map<FaultEndpoint, { mode: FaultMode; remaining: number }>()

  set(endpoint: FaultEndpoint, mode: FaultMode | null, times = Number.POSITIVE_INFINITY): void {
    if (!faultEndpoints.includes(endpoint)) {
      throw new TypeError(`faults.set: endpoint must be one of ${faultEndpoints.join(', ')}`)
    }
    if (mode === null) {
      this.#active.delete(endpoint)
      return
    }
    if (!faultModes.includes(mode)) {
      throw new TypeError(`faults.set: mode must be one of ${faultModes.join(', ')} or null`)
    }
    if (!(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times > 0))) {
      throw new TypeError('faults.set: times must be a positive integer')
    }
    this.#active.set(endpoint, { mode, remaining: times })
  }

  clear(): void {
    this.#active.clear()
  }

  /** The fault to apply to this request, if any; consumes one of its remaining times. */
  take(endpoint: string): FaultMode | undefined {
    const fault = this.#active.get(endpoint as FaultEndpoint)
    if (!fault) return undefined
    fault.remaining -= 1
    if (fault.remaining <= 0) this.#active.delete(endpoint as FaultEndpoint)
    return fault.mode
  }
}

/**
 * Answers a request the way `mode` says. A `timeout` response is added to `held` so that stopping
 * the IdP can drop it.
 */
export function answerWithFault(
  mode: FaultMode,
  req: IncomingMessage,
  res: ServerResponse,
  held: Set<ServerResponse>,
): void {
  switch (mode) {
    case 'http500':
      sendJson(res, 500, { error: 'server_error', error_description: 'injected fault' })
      return
    case 'http503':
      res.setHeader('retry-after', '1')
      sendJson(res, 503, { error: 'temporarily_unavailable', error_description: 'injected fault' })
      return
    case 'timeout':
      held.add(res)
      res.on('close', () => held.delete(res))
      return
    case 'reset':
      req.socket.destroy()
  }
}
