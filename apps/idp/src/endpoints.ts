/** Names the counted endpoints by path (oidc-provider's default routes). */
const discoveryPaths = new Set([
  '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server',
])
const endpointPaths = new Map([
  ['/jwks', 'jwks'],
  ['/auth', 'authorization'],
  ['/token', 'token'],
  ['/token/revocation', 'revocation'],
  ['/token/introspection', 'introspection'],
  ['/me', 'userinfo'],
  ['/session/end', 'end_session'],
])

export function endpointFor(pathname: string): string | undefined {
  return discoveryPaths.has(pathname) ? 'discovery' : endpointPaths.get(pathname)
}
