import type { BezzieUser } from 'bezzie-react'

/**
 * What to greet the user by: `given_name`, else the first word of `name`, else
 * `preferred_username`, else the part of `email` before the `@`; `null` when none is present.
 */
export function firstName(user: BezzieUser): string | null {
  const candidates = [
    user.given_name,
    user.name?.trim().split(/\s+/)[0],
    user.preferred_username,
    user.email?.split('@')[0],
  ]
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim()
  }
  return null
}

/** The name to show for the user in the nav: `name`, else {@link firstName}, else `sub`. */
export function displayName(user: BezzieUser): string {
  const name = typeof user.name === 'string' ? user.name.trim() : ''
  return name || firstName(user) || user.sub
}
