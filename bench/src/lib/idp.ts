import { type Idp, type StartIdpOptions, startIdp } from '@bezzie/idp'
import { bffClientMetadata } from '@bezzie/test-support/idp'

/** Origin `app.request()` gives in-process requests; the apps under test believe they live here. */
export const APP_ORIGIN = 'http://localhost'
export const BEZZIE_CLIENT = {
  clientId: 'bench-bezzie',
  clientSecret: 'bench-bezzie-secret-0123456789abcdef',
}
export const OIDC_AUTH_CLIENT = {
  clientId: 'bench-oidc-auth',
  clientSecret: 'bench-oidc-auth-secret-0123456789ab',
}
/** The API audience the IdP issues JWT access tokens for. */
export const AUDIENCE = 'https://api.bezzie.local'
export const ALICE = { username: 'alice', password: 'bezzie' }

/**
 * A real `@bezzie/idp` with the bench's confidential clients registered: bezzie's (a BFF mounted at
 * each `<origin><mount>`, i.e. callbacks at `<origin><mount>/auth/callback`; default mount: the
 * root) and @hono/oidc-auth's (`<origin>/callback`), for every origin given.
 */
export function startBenchIdp(
  options: Omit<StartIdpOptions, 'clients'> & { origins?: string[]; mounts?: string[] } = {},
): Promise<Idp> {
  const { origins = [APP_ORIGIN], mounts = [''], ...rest } = options
  return startIdp({
    ...rest,
    resource: AUDIENCE,
    clients: [
      bffClientMetadata({
        ...BEZZIE_CLIENT,
        origins: origins.flatMap((o) => mounts.map((m) => `${o}${m}`)),
      }),
      {
        client_id: OIDC_AUTH_CLIENT.clientId,
        client_secret: OIDC_AUTH_CLIENT.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: origins.map((o) => `${o}/callback`),
      },
    ],
  })
}
