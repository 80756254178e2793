import type {
  DEFAULT_BASE_PATH as SERVER_BASE_PATH,
  CSRF_HEADER as SERVER_CSRF_HEADER,
  AUTHORIZATION_PARAM_NAMES as SERVER_PARAM_NAMES,
  AuthorizationParams as ServerAuthorizationParams,
  ErrorCode as ServerErrorCode,
  MeResponse as ServerMe,
  BezzieUser as ServerUser,
} from 'bezzie'
import { describe, expectTypeOf, it } from 'vitest'
import type { AUTHORIZATION_PARAM_NAMES } from '../src/authorization-params.ts'
import type {
  AuthorizationParams,
  BezzieMe,
  BezzieSession,
  BezzieUser,
  CSRF_HEADER,
  DEFAULT_BASE_PATH,
  ErrorCode,
  MeResponse,
} from '../src/index.ts'

// The wire contract as each package states it: both come from @bezzie/contract, and this file
// stops compiling the day either side defines its own version that differs.
type ServerSignedIn = Extract<ServerMe, { user: ServerUser }>

describe('wire contract between bezzie and bezzie-react', () => {
  it('GET /me: the same body, user and session on both sides', () => {
    expectTypeOf<MeResponse>().toEqualTypeOf<ServerMe>()
    expectTypeOf<BezzieUser>().toEqualTypeOf<ServerUser>()
    expectTypeOf<BezzieSession>().toEqualTypeOf<ServerSignedIn['session']>()
    // Every answer the server can give fits the client's cache shape.
    expectTypeOf<{ user: ServerSignedIn['user']; session: ServerSignedIn['session'] }>().toExtend<
      BezzieMe<BezzieUser>
    >()
  })

  it('the CSRF header and the default base path are the same literals', () => {
    // `typeof`: passing the constants as values would widen them to `string`.
    expectTypeOf<typeof CSRF_HEADER>().toEqualTypeOf<typeof SERVER_CSRF_HEADER>()
    expectTypeOf<typeof CSRF_HEADER>().toEqualTypeOf<'X-CSRF'>()
    expectTypeOf<typeof DEFAULT_BASE_PATH>().toEqualTypeOf<typeof SERVER_BASE_PATH>()
    expectTypeOf<typeof DEFAULT_BASE_PATH>().toEqualTypeOf<'/auth'>()
  })

  it('the forwarded authorization parameters and the error codes are the same', () => {
    expectTypeOf<typeof AUTHORIZATION_PARAM_NAMES>().toEqualTypeOf<typeof SERVER_PARAM_NAMES>()
    expectTypeOf<AuthorizationParams>().toEqualTypeOf<ServerAuthorizationParams>()
    expectTypeOf<ErrorCode>().toEqualTypeOf<ServerErrorCode>()
  })
})
