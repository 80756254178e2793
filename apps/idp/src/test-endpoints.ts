import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FaultEndpoint, FaultMode, Faults } from './faults.ts'
import { readBody, sendJson } from './http-utils.ts'

/** What the `/__idp/` routes control. */
export interface TestControls {
  counts(): Record<string, number>
  resetCounts(): void
  faults: Faults
  endSession(sub: string): Promise<void>
  rotateKeys(mode?: 'soft' | 'hard'): Promise<void>
}

export const testEndpointPrefix = '/__idp/'

/**
 * Requiring `application/json` keeps cross-site HTML forms (which cannot send it without a CORS
 * preflight this server never answers) from driving these routes.
 */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    throw new TypeError('the body must be sent as application/json')
  }
  const text = (await readBody(req)).toString('utf8')
  const value: unknown = text ? JSON.parse(text) : {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('the body must be a JSON object')
  }
  return value as Record<string, unknown>
}

function badRequest(res: ServerResponse, description: string): void {
  sendJson(res, 400, { error: 'invalid_request', error_description: description })
}

/**
 * Development and test controls over HTTP, for out-of-process end-to-end tests:
 * `GET /__idp/counts`, `POST /__idp/reset-counts`, `POST /__idp/faults` `{endpoint, mode, times}`,
 * `DELETE /__idp/faults`, `POST /__idp/rotate-keys` `{mode}`, `POST /__idp/end-session` `{sub}`.
 */
export async function handleTestEndpoint(
  controls: TestControls,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
  const route = `${req.method} ${pathname.slice(testEndpointPrefix.length)}`
  try {
    switch (route) {
      case 'GET counts':
        sendJson(res, 200, controls.counts())
        return
      case 'POST reset-counts':
        controls.resetCounts()
        res.writeHead(204).end()
        return
      case 'POST faults': {
        const body = await readJson(req)
        const times =
          body.times === undefined || body.times === null ? undefined : Number(body.times)
        const number = (value: unknown) =>
          value === undefined || value === null ? undefined : Number(value)
        controls.faults.set(
          body.endpoint as FaultEndpoint,
          (body.mode ?? null) as FaultMode | null,
          times,
          { delayMs: number(body.delayMs), retryAfterSeconds: number(body.retryAfterSeconds) },
        )
        res.writeHead(204).end()
        return
      }
      case 'DELETE faults':
        controls.faults.clear()
        res.writeHead(204).end()
        return
      case 'POST rotate-keys': {
        const { mode } = await readJson(req)
        await controls.rotateKeys((mode ?? 'soft') as 'soft' | 'hard')
        res.writeHead(204).end()
        return
      }
      case 'POST end-session': {
        const { sub } = await readJson(req)
        if (typeof sub !== 'string' || !sub) {
          badRequest(res, 'sub must be a non-empty string')
          return
        }
        await controls.endSession(sub)
        res.writeHead(204).end()
        return
      }
      default:
        sendJson(res, 404, { error: 'not_found', error_description: `no route ${route}` })
    }
  } catch (error) {
    if (error instanceof TypeError || error instanceof SyntaxError || error instanceof RangeError) {
      badRequest(res, error.message)
      return
    }
    if (error instanceof AggregateError) {
      sendJson(res, 502, { error: 'backchannel_logout_failed', error_description: error.message })
      return
    }
    throw error
  }
}
