/**
 * A coarse, human label for a User-Agent ("Firefox on Windows", "Safari on iPhone"): enough for a
 * user to recognise their own devices in a list, never a fingerprint (no versions, no models).
 * Unrecognised agents read "Unknown device".
 */
export function deviceLabel(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown device'
  const ua = userAgent.slice(0, 512)
  const browser = /\bEdg(?:e|A|iOS)?\//.test(ua)
    ? 'Edge'
    : /\b(?:OPR|Opera)\//.test(ua)
      ? 'Opera'
      : /\b(?:Firefox|FxiOS)\//.test(ua)
        ? 'Firefox'
        : /\b(?:Chrome|HeadlessChrome|CriOS|Chromium)\//.test(ua)
          ? 'Chrome'
          : /\bVersion\/[\d.]+.*\bSafari\//.test(ua)
            ? 'Safari'
            : undefined
  const os = /\biPhone\b/.test(ua)
    ? 'iPhone'
    : /\biPad\b/.test(ua)
      ? 'iPad'
      : /\bAndroid\b/.test(ua)
        ? 'Android'
        : /\bWindows\b/.test(ua)
          ? 'Windows'
          : /\bCrOS\b/.test(ua)
            ? 'ChromeOS'
            : /\bMac OS X\b|\bMacintosh\b/.test(ua)
              ? 'macOS'
              : /\bLinux\b/.test(ua)
                ? 'Linux'
                : undefined
  if (browser && os) return `${browser} on ${os}`
  return browser ?? os ?? 'Unknown device'
}

/**
 * The request's country (ISO 3166-1 alpha-2) from the runtime's edge metadata: Cloudflare
 * Workers' `request.cf.country`. `undefined` elsewhere (Node, local development) or when the
 * edge did not know (`"XX"`, Tor's `"T1"`).
 */
export function requestCountry(request: Request): string | undefined {
  const country = (request as { cf?: { country?: unknown } }).cf?.country
  if (typeof country !== 'string' || !/^[A-Z]{2}$/.test(country) || country === 'XX') {
    return undefined
  }
  return country
}
