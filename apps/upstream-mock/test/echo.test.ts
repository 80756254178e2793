import { describe, expect, inject, it } from 'vitest'
import type { EchoResponse } from '../src/routes/echo.ts'
import { bearer, fetchWorker } from './fetch-worker.ts'

describe('/api/echo', () => {
  it('describes the request it received', async () => {
    const init = bearer(inject('aliceAccessToken'), {
      method: 'PUT',
      headers: { 'content-type': 'text/plain', 'x-forwarded-for': '203.0.113.7' },
      body: 'héllo',
    })
    const response = await fetchWorker('/api/echo/a/b?x=1&x=2&y=', init)
    expect(response.status).toBe(200)
    const echo = (await response.json()) as EchoResponse
    expect(echo).toMatchObject({
      method: 'PUT',
      path: '/api/echo/a/b',
      query: { x: ['1', '2'], y: [''] },
      bodyLength: 6,
      sub: 'alice',
    })
    expect(echo.headers['x-forwarded-for']).toBe('203.0.113.7')
    expect(echo.headers['content-type']).toBe('text/plain')
  })

  it('answers on /api/echo itself, with any method', async () => {
    for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
      const response = await fetchWorker(
        '/api/echo',
        bearer(inject('aliceAccessToken'), { method }),
      )
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ method, path: '/api/echo', bodyLength: 0 })
    }
  })

  it('shows a cookie that reached it, so a proxy leaking cookies is caught', async () => {
    const init = bearer(inject('aliceAccessToken'), { headers: { cookie: '__Host-session=abc' } })
    const echo = (await (await fetchWorker('/api/echo', init)).json()) as EchoResponse
    expect(echo.headers.cookie).toBe('__Host-session=abc')
  })

  it('redacts the bearer token instead of echoing it', async () => {
    const token = inject('aliceAccessToken')
    const response = await fetchWorker('/api/echo', bearer(token))
    const text = await response.text()
    expect((JSON.parse(text) as EchoResponse).headers.authorization).toBe('Bearer <redacted>')
    for (const part of token.split('.')) expect(text).not.toContain(part)
  })
})
