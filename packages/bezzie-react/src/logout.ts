import { DEFAULT_BASE_PATH } from '@bezzie/contract'
import { joinPath } from './lib/join-path.ts'

/** Options of {@link logout}. */
export interface LogoutOptions {
  /** Where the BFF's routes are mounted. Default is `'/auth'`. */
  basePath?: string
  /**
   * Where to land after the IdP's logout, a relative path; sent as `returnTo` in the query of
   * the POST. Default: the BFF's post-logout destination.
   */
  returnTo?: string
}

/**
 * Logs out with a real top-level `POST {basePath}/logout`: a form built on the fly and submitted,
 * so the browser follows the BFF's redirect to the IdP's end_session endpoint and back. A `fetch`
 * could not follow that chain, and a GET logout would be open to cross-site triggering.
 * The BFF's CSRF check accepts this same-origin form POST by Fetch Metadata or `Origin`, without
 * the `X-CSRF` header a form cannot send.
 * Inside a `<BezzieProvider>`, prefer `useLogout()`, which knows the base path.
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html
 */
export function logout({ basePath = DEFAULT_BASE_PATH, returnTo }: LogoutOptions = {}): void {
  const action =
    returnTo === undefined
      ? joinPath(basePath, 'logout')
      : `${joinPath(basePath, 'logout')}?${new URLSearchParams({ returnTo })}`
  const form = document.createElement('form')
  form.method = 'POST'
  form.action = action
  form.style.display = 'none'
  document.body.appendChild(form)
  form.submit()
}
