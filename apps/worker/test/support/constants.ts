/** The public origin the test Worker is configured with (its `BASE_URL`). */
export const BASE_URL = 'https://app.bezzie.test'
export const CLIENT_ID = 'bezzie-worker-test'
export const CLIENT_SECRET = 'bezzie-worker-test-secret'
export const AUDIENCE = 'https://api.bezzie.local'
