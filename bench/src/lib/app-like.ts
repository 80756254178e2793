/**
 * Anything that answers `app.request()` like a Hono app, whatever its `Env` type: the bench only
 * ever sends requests to the apps it compares.
 */
export interface AppLike {
  request(input: string, init?: RequestInit): Response | Promise<Response>
}
