import { ConfigError } from '../errors.ts'

/** An option as the caller wrote it: its value and the name to put in a {@link ConfigError}. */
export interface Option<T> {
  value: T | undefined
  /** `"sessionTtlSeconds"` (the flat form) or `"session.idleTtlSeconds"` (the grouped form). */
  name: string
}

const show = (value: unknown): string =>
  typeof value === 'function' ? 'a function' : (JSON.stringify(value) ?? String(value))

/**
 * The option group `name` of `config` (`session`, `cookie`, …): an object, or `{}` when absent.
 * Anything else is a {@link ConfigError}.
 */
export function group<T extends object>(config: object, name: string): Partial<T> {
  const value = (config as Record<string, unknown>)[name]
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(name, 'must be an object')
  }
  return value as Partial<T>
}

/**
 * An option that has a grouped name and the seed's flat name. Either may be set, or both to the
 * same value (functions: the same function); different values are a contradiction, refused
 * naming both.
 */
export function either<T>(
  grouped: T | undefined,
  groupedName: string,
  flat: T | undefined,
  flatName: string,
): Option<T> {
  if (flat === undefined) return { value: grouped, name: groupedName }
  if (grouped === undefined || Object.is(grouped, flat)) return { value: flat, name: flatName }
  throw new ConfigError(
    groupedName,
    `contradicts "${flatName}" (${show(grouped)} and ${show(flat)}); set only one of them`,
  )
}

export function nonEmptyString(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(option, 'must be a non-empty string')
  }
  return value
}

/** An integer number of seconds `>= min`, or `fallback` when unset. */
export function seconds(option: Option<unknown>, fallback: number, min: number): number {
  const { value, name } = option
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigError(
      name,
      `must be an integer number of seconds >= ${min}, got ${show(value)}`,
    )
  }
  return value
}

/** A boolean, or `fallback` when unset. */
export function boolean(option: Option<unknown>, fallback: boolean): boolean {
  const { value, name } = option
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw new ConfigError(name, 'must be a boolean')
  return value
}

/** A function, or `undefined` when unset. */
export function fn<T>(option: Option<T>): T | undefined {
  const { value, name } = option
  if (value !== undefined && typeof value !== 'function') {
    throw new ConfigError(name, 'must be a function')
  }
  return value
}

/** A path starting with `/` (a trailing slash removed), or `fallback` when unset. */
export function path(value: unknown, option: string, fallback: string): string {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || !/^\/[\w\-./~]*$/.test(value) || value.includes('//')) {
    throw new ConfigError(option, `must be a path starting with "/", got ${JSON.stringify(value)}`)
  }
  return value.length > 1 ? value.replace(/\/$/, '') : value
}
