import type { SessionAdapter, SetOptions } from '../../src/adapter.ts'

/** Wraps an adapter and counts the calls bezzie makes to it. */
export function countingAdapter(inner: SessionAdapter) {
  const counts = { get: 0, set: 0, delete: 0, replace: 0 }
  const adapter: SessionAdapter = {
    get: (key) => {
      counts.get++
      return inner.get(key)
    },
    set: (key, value, options: SetOptions) => {
      counts.set++
      return inner.set(key, value, options)
    },
    delete: (key) => {
      counts.delete++
      return inner.delete(key)
    },
  }
  if (inner.replace) {
    const replace = inner.replace.bind(inner)
    adapter.replace = (key, value, options) => {
      counts.replace++
      return replace(key, value, options)
    }
  }
  const reset = () => {
    counts.get = counts.set = counts.delete = counts.replace = 0
  }
  return { adapter, counts, reset }
}
