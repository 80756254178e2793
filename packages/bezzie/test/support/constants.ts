/** The app origin every test Worker pretends to be served from (registered at the test IdP). */
export const BASE_URL = 'https://app.bezzie.test'
export const CLIENT_ID = 'bezzie-test'
export const CLIENT_SECRET = 'bezzie-test-secret-which-is-long-enough'
/** The test IdP's API resource: the `aud` of its JWT access tokens. */
export const AUDIENCE = 'https://api.bezzie.test'
/** Lifetime (in seconds) of access tokens from the rotating IdP: seconds-long on purpose. */
export const SHORT_ACCESS_TOKEN_TTL = 2
