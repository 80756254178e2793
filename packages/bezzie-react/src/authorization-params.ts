// The parameters the BFF's login route forwards are part of the wire contract (@bezzie/contract).
export type { AuthorizationParams } from '@bezzie/contract'
export { AUTHORIZATION_PARAM_NAMES } from '@bezzie/contract'
