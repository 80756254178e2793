import { forwardToBff } from '../../server/forward-to-bff.ts'

/** `/api/*` (the BFF's own API and its proxy to the upstream API) belongs to the BFF worker. */
export const onRequest = forwardToBff
