import { forwardToBff } from '../../server/forward-to-bff.ts'

/** `/auth/*` (login, callback, me, logout, back-channel logout) belongs to the BFF worker. */
export const onRequest = forwardToBff
