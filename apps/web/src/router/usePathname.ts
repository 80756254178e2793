import { useSyncExternalStore } from 'react'
import { subscribe } from './history.ts'

const currentPathname = () => window.location.pathname
const serverPathname = () => '/'

/** The current `location.pathname`, re-rendering on back/forward and client-side navigation. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, currentPathname, serverPathname)
}
