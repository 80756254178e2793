import * as oauth from 'oauth4webapi'

/**
 * Sends a proxied request with a DPoP-bound token: `Authorization: DPoP <token>` and a fresh proof
 * (`htm`, `htu` without query, `ath`, `jti`, `iat`, and the upstream's latest nonce). When the
 * upstream asks for a nonce (401 `WWW-Authenticate: DPoP error="use_dpop_nonce"` with a
 * `DPoP-Nonce`) the request is sent once more with it; so that a body can be sent twice it is
 * teed, and the spare copy is dropped as soon as the first answer is anything else. Any other
 * answer, challenges included, is the upstream's to relay.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7
 */
export async function dpopRequest(
  token: string,
  dpop: oauth.DPoPHandle,
  method: string,
  target: URL,
  headers: Headers,
  body: ReadableStream | null,
  signal: AbortSignal,
): Promise<Response> {
  const [first, spare] = body ? body.tee() : [null, null]
  const send = async (payload: ReadableStream | null) => {
    try {
      const response = await oauth.protectedResourceRequest(
        token,
        method,
        target,
        headers,
        payload,
        {
          DPoP: dpop,
          signal,
          // createProxy has checked the upstream's scheme (plain http only where it was configured).
          [oauth.allowInsecureRequests]: true,
        },
      )
      return { response, nonceRequested: false }
    } catch (e) {
      // Any WWW-Authenticate challenge throws; the upstream's answer is relayed as it is.
      if (!(e instanceof oauth.WWWAuthenticateChallengeError)) throw e
      return { response: e.response, nonceRequested: oauth.isDPoPNonceError(e) }
    }
  }
  const { response, nonceRequested } = await send(first)
  if (!nonceRequested) {
    await spare?.cancel()
    return response
  }
  // The handle has kept the nonce of the refusal: the proof of the retry carries it.
  await response.body?.cancel()
  return (await send(spare)).response
}
