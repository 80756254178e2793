import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

describe('health route', () => {
  it('answers JSON without a session', async () => {
    const res = await exports.default.fetch('http://localhost/health')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, service: 'bezzie-worker' })
  })
})
