import type { LockHandle, SessionAdapter, SetOptions } from '../adapter.ts'
import { StoreError } from '../errors.ts'

const failure = (what: string, e: unknown) =>
  e instanceof StoreError ? e : new StoreError('store_failed', `session store ${what} failed`, e)

/**
 * Runs one adapter call under a time limit; whatever goes wrong (a throw, a rejection, no answer
 * within `ms` milliseconds) surfaces as `StoreError` `store_failed`. The call itself cannot be
 * cancelled: a write that times out may still land later, which every caller allows for (records
 * are compare-and-set, locks expire).
 *
 * `then`, when given, maps the value before the returned promise settles (like `.then(then)`, one
 * promise fewer).
 *
 * The timer is armed one microtask after the call, and only if the call has not settled by then:
 * an in-memory store answers at once, and every signed-in request would otherwise pay for
 * scheduling and cancelling a timer it never needs.
 */
export function bounded<T, R = T>(
  what: string,
  ms: number,
  op: () => Promise<T>,
  then?: (value: T) => R | PromiseLike<R>,
): Promise<R> {
  let call: Promise<T>
  try {
    call = Promise.resolve(op())
  } catch (e) {
    return Promise.reject(failure(what, e))
  }
  return new Promise<R>((resolve, reject) => {
    let settled = false
    let timer: ReturnType<typeof setTimeout> | undefined
    call.then(
      (value) => {
        settled = true
        if (timer !== undefined) clearTimeout(timer)
        if (!then) return resolve(value as unknown as R)
        // The caller's own step, run here rather than in a `.then` of the returned promise: one
        // promise and one turn of the microtask queue fewer on every session read. What it throws
        // is the caller's error, not a store failure.
        try {
          resolve(then(value))
        } catch (e) {
          reject(e)
        }
      },
      (e: unknown) => {
        settled = true
        if (timer !== undefined) clearTimeout(timer)
        reject(failure(what, e))
      },
    )
    queueMicrotask(() => {
      if (settled) return
      timer = setTimeout(
        () =>
          reject(new StoreError('store_failed', `session store ${what} timed out after ${ms} ms`)),
        ms,
      )
    })
  })
}

/** A held lock whose release never throws: a failure is handed to `report` instead. */
export interface GuardedLock {
  release(): Promise<void>
}

/**
 * The adapter as the storage module uses it: the same calls, each bounded by `storeMs` and
 * failing only with `StoreError`. Capabilities the adapter lacks are `undefined` here too.
 */
export interface GuardedAdapter {
  /** `adapter.get(key)`, then `then` applied to its answer (see {@link bounded}). */
  get<R = string | null>(key: string, then?: (raw: string | null) => R | PromiseLike<R>): Promise<R>
  getLatest:
    | (<R = string | null>(
        key: string,
        then?: (raw: string | null) => R | PromiseLike<R>,
      ) => Promise<R>)
    | undefined
  set(key: string, value: string, options: SetOptions): Promise<void>
  delete(key: string): Promise<void>
  replace: ((key: string, value: string, options: SetOptions) => Promise<boolean>) | undefined
  compareAndSet:
    | ((key: string, expected: string, value: string, options: SetOptions) => Promise<boolean>)
    | undefined
  setIfAbsent: ((key: string, value: string, options: SetOptions) => Promise<boolean>) | undefined
  lock: ((key: string, ttlMs: number) => Promise<GuardedLock | null>) | undefined
  index:
    | {
        add(indexKey: string, member: string, options: SetOptions): Promise<void>
        members(indexKey: string): Promise<string[]>
        remove(indexKey: string, member: string): Promise<void>
      }
    | undefined
}

/** Wraps `adapter` (see {@link GuardedAdapter}); `report` receives failed lock releases. */
export function guardAdapter(
  adapter: SessionAdapter,
  storeMs: number,
  report: (error: StoreError) => void,
): GuardedAdapter {
  const call = <T, R = T>(
    what: string,
    op: () => Promise<T>,
    then?: (value: T) => R | PromiseLike<R>,
  ) => bounded(what, storeMs, op, then)
  const { getLatest, replace, compareAndSet, setIfAbsent, lock, index } = adapter
  return {
    get: (key, then) => call('read', () => adapter.get(key), then),
    getLatest: getLatest && ((key, then) => call('read', () => getLatest.call(adapter, key), then)),
    set: (key, value, options) => call('write', () => adapter.set(key, value, options)),
    delete: (key) => call('delete', () => adapter.delete(key)),
    replace: replace && ((k, v, o) => call('replace', () => replace.call(adapter, k, v, o))),
    compareAndSet:
      compareAndSet &&
      ((k, e, v, o) => call('compare-and-set', () => compareAndSet.call(adapter, k, e, v, o))),
    setIfAbsent:
      setIfAbsent && ((k, v, o) => call('set-if-absent', () => setIfAbsent.call(adapter, k, v, o))),
    lock:
      lock &&
      (async (key, ttlMs) => {
        let pending: Promise<LockHandle | null>
        try {
          pending = Promise.resolve(lock.call(adapter, key, ttlMs))
        } catch (e) {
          pending = Promise.reject(e)
        }
        let handle: LockHandle | null
        try {
          handle = await call('lock', () => pending)
        } catch (e) {
          // A lock granted after this caller gave up would be held by no one until its TTL ran
          // out, and every refresh of the session would wait for it: free it when it arrives.
          pending.then((late) => late?.release()).catch(() => {})
          throw e
        }
        if (!handle) return null
        return {
          // A release that fails leaves the lock to expire on its own (its TTL bounds it): the
          // work done under it is complete, so this is reported, never turned into an error.
          release: () =>
            call('lock release', () => handle.release()).catch((e: StoreError) => report(e)),
        }
      }),
    index: index && {
      add: (k, m, o) => call('index add', () => index.add(k, m, o)),
      members: (k) => call('index read', () => index.members(k)),
      remove: (k, m) => call('index remove', () => index.remove(k, m)),
    },
  }
}
