/** Search parameters of `/sign-in`. */
export interface SignInSearch {
  /** Where to go after a successful login: a path of this site. */
  returnTo?: string
  /** Why the page shows: the sign-in service did not answer. */
  problem?: 'idp_unavailable'
}

/**
 * Validates `/sign-in`'s search: `returnTo` only as a same-site path (never `//host`), `problem`
 * only as a known value. Anything else is dropped, never echoed.
 */
export function parseSignInSearch(search: Record<string, unknown>): SignInSearch {
  const result: SignInSearch = {}
  const { returnTo, problem } = search
  if (typeof returnTo === 'string' && /^\/(?![/\\])/.test(returnTo)) result.returnTo = returnTo
  if (problem === 'idp_unavailable') result.problem = problem
  return result
}
