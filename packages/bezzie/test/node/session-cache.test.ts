import { createHash } from 'node:crypto'
import { describe, expect, inject, it } from 'vitest'
import { resolveConfig } from '../../src/config.ts'
import { b64u, fromB64u } from '../../src/session/encoding.ts'
import { randomId, sha256 } from '../../src/session/id.ts'
import { sessionKey } from '../../src/session/keys.ts'
import { Recent } from '../../src/session/recent.ts'
import { knownSession, RECORD_CACHE_SIZE } from '../../src/session/record-cache.ts'
import { SessionStore } from '../../src/session/store.ts'
import { testConfig } from '../support/config.ts'

// Session ids were hashed with node:crypto on Node by earlier versions, and are hashed with
// sha256.ts everywhere now: the store keys must be the very same, or an upgrade would lose every
// session written before it (and Node and Workers sharing a store would not find each other's).
describe('session keys on Node', () => {
  it('match node:crypto on ids, non-ASCII text and lone surrogates (no session lost on upgrade)', () => {
    const texts = [
      '',
      'abc',
      'kid:session:ünïcödé ✓ 🔑',
      'half \ud800 a surrogate',
      'x'.repeat(300),
    ]
    for (let i = 0; i < 100; i++) texts.push(randomId())
    for (const text of texts) {
      expect(sha256(text), text).toBe(createHash('sha256').update(text).digest('base64url'))
    }
    const id = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
    expect(sessionKey(id)).toBe(`bezzie:s:${createHash('sha256').update(id).digest('base64url')}`)
  })
})

describe('Recent', () => {
  it('keeps the last `size` keys added, first in first out, whatever was deleted in between', () => {
    const r = new Recent<number, string>(3)
    for (let i = 0; i < 10; i++) r.set(i, `v${i}`)
    expect([r.get(6), r.get(7), r.get(8), r.get(9)]).toEqual([undefined, 'v7', 'v8', 'v9'])
    expect(r.size).toBe(3)
    r.set(9, 'again')
    expect([r.get(7), r.get(9)]).toEqual(['v7', 'again'])
    r.delete(8)
    r.set(10, 'v10')
    r.set(11, 'v11')
    expect(r.size).toBeLessThanOrEqual(3)
    expect([r.get(10), r.get(11)]).toEqual(['v10', 'v11'])
  })
})

describe('decoded-record cache: what enters it', () => {
  const setup = () => {
    const store = new SessionStore(resolveConfig(testConfig(inject('idpIssuer'))))
    const now = Math.floor(Date.now() / 1000)
    const create = () =>
      store.create({
        v: 1,
        user: { sub: 'alice' },
        claims: { sub: 'alice' },
        tokens: { accessToken: 'at', expiresAt: now + 3600 },
        createdAt: now,
        idleExpiresAt: now + 3600,
        absoluteExpiresAt: now + 7200,
      })
    return { store, create }
  }

  it('a session is cached (frozen, shared) from its second read; its first read is its own copy', async () => {
    const { store, create } = setup()
    const { id } = await create()
    const first = await store.readSession(id)
    expect(Object.isFrozen(first?.record)).toBe(false)
    expect(knownSession(id)?.record).toBeUndefined()
    const second = await store.readSession(id)
    const third = await store.readSession(id)
    expect(Object.isFrozen(second?.record.user)).toBe(true)
    expect(third?.record).toBe(second?.record)
    expect(knownSession(id)?.key).toBe(sessionKey(id))
  })

  it('cache flooding: made-up session ids never enter the cache, so they cannot push real sessions out', async () => {
    const { store, create } = setup()
    const { id } = await create()
    await store.readSession(id)
    await store.readSession(id)
    for (let i = 0; i < RECORD_CACHE_SIZE + 10; i++) {
      const madeUp = randomId()
      expect(await store.readSession(madeUp)).toBeNull()
      expect(knownSession(madeUp)).toBeUndefined()
    }
    expect(knownSession(id)?.record).toBeDefined()
  })
})

describe('base64url decoding on Node (Buffer)', () => {
  it('decodes what b64u encodes and refuses padding, whitespace, the standard alphabet and junk anywhere', () => {
    for (let length = 0; length <= 100; length++) {
      const data = crypto.getRandomValues(new Uint8Array(length))
      expect(Array.from(fromB64u(b64u(data)))).toEqual(Array.from(data))
    }
    const valid = b64u(crypto.getRandomValues(new Uint8Array(30)))
    for (const bad of ['a+b=', 'ab/c', 'abc=', 'ab==', 'a', 'abcde', 'ab c', 'é', 'abc\n']) {
      expect(() => fromB64u(bad), bad).toThrow(TypeError)
    }
    for (const junk of [' ', '\t', '=', '.', '%', '+', '/', 'é', '\u0000']) {
      for (const at of [0, 7, valid.length]) {
        const text = `${valid.slice(0, at)}${junk}${valid.slice(at)}`
        expect(() => fromB64u(text), JSON.stringify(text)).toThrow(TypeError)
      }
    }
  })
})
