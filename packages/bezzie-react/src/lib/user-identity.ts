import type { BezzieMe } from '../types.ts'

/**
 * Who a `/me` answer is about, for comparing tabs: the `sub` claim, `''` for a user without one,
 * `null` when logged out.
 */
export function userIdentity(me: BezzieMe<unknown> | undefined): string | null | undefined {
  if (me === undefined) return undefined
  if (me.user === null || me.user === undefined) return null
  const sub = (me.user as { sub?: unknown }).sub
  return typeof sub === 'string' ? sub : ''
}
