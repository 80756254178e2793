import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from './http-utils.ts'

/** Endpoints that can be made to misbehave. */
export type FaultEndpoint = 'token' | 'jwks' | 'discovery' | 'revocation'

/**
 * How a faulted endpoint misbehaves. The request is **not processed** unless the mode says so:
 * - `http500` / `http503`: answers with that status and an OAuth `server_error` /
 *   `temporarily_unavailable` JSON body (503 with `Retry-After: 1`);
 * - `http429`: answers 429 `slow_down` with `Retry-After` ({@link FaultOptions.retryAfterSeconds});
 * - `garbage`: answers 200 with an HTML page where JSON belongs (a proxy or captive portal);
 * - `timeout`: accepts the request and never answers (until the IdP stops);
 * - `reset`: destroys the TCP connection without a response;
 * - `slow`: **processes** the request (a refresh rotates the refresh token) and sends the answer
 *   only after {@link FaultOptions.delayMs} — later than a client's timeout, so the client never
 *   reads the tokens the IdP issued;
 * - `process-reset`: **processes** the request, then destroys the connection instead of
 *   answering.
 */
export type FaultMode =
  | 'http500'
  | 'http503'
  | 'http429'
  | 'garbage'
  | 'timeout'
  | 'reset'
  | 'slow'
  | 'process-reset'

/** Details of a fault. */
export interface FaultOptions {
  /** `slow`: how long the processed answer is held back (in milliseconds). Default 8000. */
  delayMs?: number
  /** `http429`: the `Retry-After` value (in seconds). Default 2. */
  retryAfterSeconds?: number
}

/** Fault injection controls. Development and tests only. */
export interface Faults {
  /**
   * Makes `endpoint` misbehave for the next `times` requests (default: until cleared).
   * `mode: null` clears that endpoint's fault.
   */
  set(endpoint: FaultEndpoint, mode: FaultMode | null, times?: number, options?: FaultOptions): void
  /** Clears every fault. */
  clear(): void
}

export const faultEndpoints: readonly FaultEndpoint[] = ['token', 'jwks', 'discovery', 'revocation']
export const faultModes: readonly FaultMode[] = [
  'http500',
  'http503',
  'http429',
  'garbage',
  'timeout',
  'reset',
  'slow',
  'process-reset',
]

/** Modes in which the provider handles the request before the answer is withheld or lost. */
export const processedModes: ReadonlySet<FaultMode> = new Set(['slow', 'process-reset'])

/** A fault as applied to one request. */
export interface ActiveFault {
  mode: FaultMode
  delayMs: number
  retryAfterSeconds: number
}

const DEFAULT_DELAY_MS = 8000
const DEFAULT_RETRY_AFTER_SECONDS = 2

function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < 0) {
    throw new TypeError(`faults.set: ${name} must be a non-negative integer`)
  }
  return value
}

export class FaultTable implements Faults {
  readonly #active = new Map<FaultEndpoint, ActiveFault & { remaining: number }>()

  set(
    endpoint: FaultEndpoint,
    mode: FaultMode | null,
    times = Number.POSITIVE_INFINITY,
    options: FaultOptions = {},
  ): void {
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
    this.#active.set(endpoint, {
      mode,
      remaining: times,
      delayMs: nonNegativeInteger('delayMs', options.delayMs, DEFAULT_DELAY_MS),
      retryAfterSeconds: nonNegativeInteger(
        'retryAfterSeconds',
        options.retryAfterSeconds,
        DEFAULT_RETRY_AFTER_SECONDS,
      ),
    })
  }

  clear(): void {
    this.#active.clear()
  }

  /** The fault to apply to this request, if any; consumes one of its remaining times. */
  take(endpoint: string): ActiveFault | undefined {
    const fault = this.#active.get(endpoint as FaultEndpoint)
    if (!fault) return undefined
    fault.remaining -= 1
    if (fault.remaining <= 0) this.#active.delete(endpoint as FaultEndpoint)
    const { mode, delayMs, retryAfterSeconds } = fault
    return { mode, delayMs, retryAfterSeconds }
  }
}

/**
 * Answers a request the way an unprocessed fault says. A `timeout` response is added to `held`
 * so that stopping the IdP can drop it.
 */
export function answerWithFault(
  fault: ActiveFault,
  req: IncomingMessage,
  res: ServerResponse,
  held: Set<ServerResponse>,
): void {
  switch (fault.mode) {
    case 'http500':
      sendJson(res, 500, { error: 'server_error', error_description: 'injected fault' })
      return
    case 'http503':
      res.setHeader('retry-after', '1')
      sendJson(res, 503, { error: 'temporarily_unavailable', error_description: 'injected fault' })
      return
    case 'http429':
      res.setHeader('retry-after', String(fault.retryAfterSeconds))
      sendJson(res, 429, { error: 'slow_down', error_description: 'injected fault' })
      return
    case 'garbage':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end('<html><body>502 Bad Gateway (injected fault)</body></html>')
      return
    case 'timeout':
      hold(res, held)
      return
    case 'reset':
      req.socket.destroy()
      return
    default:
      throw new TypeError(`answerWithFault: ${fault.mode} is processed by the provider`)
  }
}

function hold(res: ServerResponse, held: Set<ServerResponse>): void {
  held.add(res)
  res.on('close', () => held.delete(res))
}

/**
 * Lets the provider process the request, then withholds its answer the way a processed fault
 * says: `slow` sends it after `delayMs`, `process-reset` destroys the connection instead. The
 * provider writes its whole answer with one `res.end()`, which is where it is intercepted.
 */
export function withholdAnswer(
  fault: ActiveFault,
  req: IncomingMessage,
  res: ServerResponse,
  held: Set<ServerResponse>,
): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse
  hold(res, held)
  res.end = ((...args: unknown[]) => {
    if (fault.mode === 'process-reset') {
      req.socket.destroy()
      return res
    }
    const timer = setTimeout(() => end(...args), fault.delayMs)
    res.on('close', () => clearTimeout(timer))
    return res
  }) as ServerResponse['end']
}
