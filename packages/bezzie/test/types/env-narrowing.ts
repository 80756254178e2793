// Type-level checks (compiled by `pnpm typecheck`): BezzieEnv narrows c.var to non-null, the
// optional env keeps null visible.
import { Hono } from 'hono'
import type { BezzieEnv, BezzieOptionalEnv } from '../../src/index.ts'

new Hono<BezzieEnv>().get('/', (c) => {
  const sub: string = c.var.user.sub
  const token: string = c.var.accessToken
  return c.json({ sub, length: token.length })
})

new Hono<BezzieOptionalEnv>().get('/', (c) => {
  // @ts-expect-error user may be null without a session
  const sub: string = c.var.user.sub
  return c.json({ sub })
})
