/**
 * Returns `value` when it is a safe same-origin relative path to redirect to after login, else
 * `null`. Rejects absolute URLs, scheme-relative `//host`, `/\host`, encoded slashes or
 * backslashes, and any control or whitespace character (browsers strip tabs and newlines, which
 * turns `/\t/host` into `//host`).
 *
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
 */
export function safeReturnTo(value: string | undefined | null): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return null
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
  if (probe.origin !== 'https://bezzie.invalid') return null
  return value
}
