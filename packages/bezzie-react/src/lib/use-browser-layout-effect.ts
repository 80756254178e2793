import { useEffect, useLayoutEffect } from 'react'

/** `useLayoutEffect` in a browser; on the server (where neither runs) `useEffect`, which React 18 does not warn about. */
export const useBrowserLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect
