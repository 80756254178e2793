import type { SessionAdapter } from 'bezzie'

/**
 * The same store with only get/set/delete: what Workers KV offers (no lock, no conditional write,
 * no index). Used as a control in the refresh storm, to show what the lock buys across isolates.
 */
export function kvLike(inner: SessionAdapter): SessionAdapter {
  return {
    get: (key) => inner.get(key),
    set: (key, value, options) => inner.set(key, value, options),
    delete: (key) => inner.delete(key),
  }
}
