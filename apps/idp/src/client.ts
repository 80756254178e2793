/**
 * `@bezzie/idp/client`: drives the IdP's login pages with plain `fetch`, as a browser would.
 * Imports nothing from Node or oidc-provider, so tests inside workerd can use it too.
 * @packageDocumentation
 */

export { CookieJar } from './cookie-jar.ts'
export type { DriveLoginResult } from './drive-login.ts'
export { driveLogin } from './drive-login.ts'
