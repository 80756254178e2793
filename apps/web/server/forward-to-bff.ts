/**
 * A Pages Function that hands the request, unchanged, to the BFF worker through the `BFF`
 * service binding: same URL (so the worker sees this Pages origin), same method, headers,
 * cookies and body. The worker's response (redirects, `Set-Cookie`) goes back as it is, so the
 * session cookie is set on the Pages origin.
 * @see https://developers.cloudflare.com/pages/functions/bindings/#service-bindings
 */
export const forwardToBff: PagesFunction<Env> = (context) => context.env.BFF.fetch(context.request)
