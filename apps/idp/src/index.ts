/**
 * `@bezzie/idp`: a local OpenID Provider for development and tests. **Development only.**
 * @packageDocumentation
 */

export type { DemoUser } from './accounts.ts'
export { DEMO_PASSWORD, demoUsers } from './accounts.ts'
export { DEV_CLIENT_ID, DEV_CLIENT_SECRET, devClient } from './dev-client.ts'
export type { DriveLoginResult } from './drive-login.ts'
export { driveLogin } from './drive-login.ts'
export type { FaultEndpoint, FaultMode, FaultOptions, Faults } from './faults.ts'
export type { Idp, StartIdpOptions } from './start-idp.ts'
export { startIdp } from './start-idp.ts'
