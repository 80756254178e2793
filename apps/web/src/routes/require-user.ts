import { isCancelledError, type QueryClient } from '@tanstack/react-query'
import type { ParsedLocation } from '@tanstack/react-router'
import { redirect } from '@tanstack/react-router'
import {
  type BezzieMe,
  type BezzieUser,
  type FetchLike,
  loginUnlessFailed,
  userQueryOptions,
  withoutAuthError,
} from 'bezzie-react'
import { BFF_BASE_PATH } from '../bff.ts'
import type { RouterContext } from './router-context.ts'

/**
 * The user, through the cache the components share. A read that another part of the page
 * cancelled (the query's observers came and went while it was retrying) is read once more:
 * a cancellation says nothing about the session, and must not show "could not check".
 */
async function readUser(queryClient: QueryClient, fetch: FetchLike | undefined): Promise<BezzieMe> {
  const options = userQueryOptions({ basePath: BFF_BASE_PATH, fetch })
  try {
    return await queryClient.ensureQueryData(options)
  } catch (error) {
    if (!isCancelledError(error)) throw error
    return queryClient.ensureQueryData(options)
  }
}

/**
 * The `beforeLoad` guard of a signed-in route, as bezzie-react's README shows it: read the user
 * through the shared QueryClient (one `/auth/me` for the guard and the components), start a
 * login for a visitor — unless the last login failed, which goes to the sign-in page instead of
 * round the IdP again.
 */
export async function requireUser({
  context,
  location,
}: {
  context: RouterContext
  location: ParsedLocation
}): Promise<{ user: BezzieUser }> {
  const { queryClient, fetch, navigate } = context
  const { user } = await readUser(queryClient, fetch)
  if (user !== null) return { user }
  // `href` is path, query and #fragment: a deep link survives the trip to the IdP.
  const returnTo = withoutAuthError(location.href)
  const failed = loginUnlessFailed({ basePath: BFF_BASE_PATH, returnTo, navigate })
  // The browser is leaving for the IdP: stay pending (the pending page shows) until it has.
  if (failed === null) return new Promise<never>(() => {})
  throw redirect({ to: '/sign-in', search: { returnTo } })
}
