/** Longest accepted `returnTo`, in bytes of its UTF-8, JSON-escaped form. */
export const MAX_RETURN_TO_BYTES = 2048

/**
 * Returns `value` when it is a safe same-origin relative path to redirect to after login, else
 * `null`. Rejects absolute URLs, scheme-relative `//host`, `/\host`, encoded slashes or
 * backslashes, any control or whitespace character (browsers strip tabs and newlines, which
 * turns `/\t/host` into `//host`), dot segments that normalize to `//host`, and anything longer
 * than {@link MAX_RETURN_TO_BYTES}.
 *
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
 */
export function safeReturnTo(value: string | undefined | null): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_RETURN_TO_BYTES) {
    return null
  }
  // Bytes, JSON-escaped, not characters: with a `secret` it travels in the encrypted login
  // transaction cookie, and 2,000 "é" would push that past the 4 KB browsers keep.
  if (new TextEncoder().encode(JSON.stringify(value)).length > MAX_RETURN_TO_BYTES) return null
  if (!value.startsWith('/')) return null
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we reject
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(value)) return null
  if (value.startsWith('//')) return null
  let decoded = value
  for (let i = 0; i < 3; i++) {
    let next: string
    try {
      next = decodeURIComponent(decoded)
    } catch {
      return null
    }
    if (next === decoded) break
    decoded = next
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we reject
    if (/^\/[/\\]|[\\\u0000-\u001f\u007f]/.test(decoded)) return null
  }
  const probe = new URL(value, 'https://bezzie.invalid')
  // `/.//host` is same-origin, but its normalized path `//host` is scheme-relative to whatever
  // consumes it next (a host's clean-URL redirect, a router).
  if (probe.origin !== 'https://bezzie.invalid' || probe.pathname.startsWith('//')) return null
  return value
}
