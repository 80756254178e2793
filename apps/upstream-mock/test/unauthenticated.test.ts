import { describe, expect, it } from 'vitest'
import { fetchWorker, fetchWorkerWith } from './fetch-worker.ts'

describe('without a bearer token', () => {
  it('serves /health', async () => {
    const response = await fetchWorker('/health')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })

  it.each(['/api/me', '/api/notes', '/api/echo', '/api/anything'])(
    'answers %s with 401 and a Bearer challenge',
    async (path) => {
      const response = await fetchWorker(path)
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe('Bearer')
      expect(await response.json()).toEqual({
        error: 'unauthorized',
        message: 'A bearer access token is required',
      })
    },
  )

  it('treats Basic credentials as no token', async () => {
    const response = await fetchWorker('/api/me', {
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    })
    expect(response.status).toBe(401)
  })

  it('answers an unknown route with JSON 404', async () => {
    const response = await fetchWorker('/nope')
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: 'not_found' })
  })

  it.each([
    ['ISSUER', { ISSUER: 'not a url' }],
    ['AUDIENCE', { AUDIENCE: '' }],
  ])('names %s when the environment is invalid, without a stack trace', async (name, bindings) => {
    const response = await fetchWorkerWith(bindings, '/health')
    expect(response.status).toBe(500)
    const text = await response.text()
    expect(JSON.parse(text)).toEqual({
      error: 'server_misconfigured',
      message: expect.stringContaining(name),
    })
    expect(text).not.toMatch(/\bat .+:\d+:\d+/)
  })
})
