/**
 * Turns `Set-Cookie` values into a `Cookie` request header (name=value pairs only), keeping only
 * `names` when given and dropping cookies that are being deleted (empty value).
 */
export function cookieHeader(setCookies: readonly string[], names?: readonly string[]): string {
  const pairs: string[] = []
  for (const sc of setCookies) {
    const pair = sc.split(';', 1)[0] ?? ''
    const eq = pair.indexOf('=')
    if (eq <= 0) continue
    const name = pair.slice(0, eq).trim()
    const value = pair.slice(eq + 1).trim()
    if (value === '' || (names && !names.includes(name))) continue
    pairs.push(`${name}=${value}`)
  }
  return pairs.join('; ')
}

/** Merges cookie headers; later values win per name. */
export function mergeCookies(...headers: string[]): string {
  const map = new Map<string, string>()
  for (const h of headers) {
    for (const part of h.split(';')) {
      const eq = part.indexOf('=')
      if (eq > 0) map.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
    }
  }
  return [...map].map(([k, v]) => `${k}=${v}`).join('; ')
}
