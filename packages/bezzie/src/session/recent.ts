/**
 * A map bounded to the last `size` keys added (first in, first out), for the isolate's caches.
 *
 * The order is kept in a ring of keys beside the map rather than taken from the map's own
 * iteration order: a `Map` that has its oldest key deleted over and over keeps the deleted
 * slots at its front until it rehashes, and finding the oldest key scans them all (about a
 * microsecond at 1,000 entries, on every insert of a full cache).
 */
export class Recent<K, V> {
  readonly #map = new Map<K, V>()
  readonly #ring: (K | undefined)[]
  #next = 0

  constructor(size: number) {
    this.#ring = new Array(size)
  }

  get size(): number {
    return this.#map.size
  }

  get(key: K): V | undefined {
    return this.#map.get(key)
  }

  /** Sets `key`; a new key takes the place of the oldest once the map is full. */
  set(key: K, value: V): void {
    const map = this.#map
    if (!map.has(key)) {
      const ring = this.#ring
      const i = this.#next
      // A slot may name a key deleted since, or set again since: deleting it then only makes that
      // entry leave early, which a cache allows.
      const oldest = ring[i]
      if (oldest !== undefined) map.delete(oldest)
      ring[i] = key
      this.#next = (i + 1) % ring.length
    }
    map.set(key, value)
  }

  delete(key: K): boolean {
    return this.#map.delete(key)
  }

  clear(): void {
    this.#map.clear()
    this.#ring.fill(undefined)
  }
}
