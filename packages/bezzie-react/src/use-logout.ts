'use client'
import { useCallback } from 'react'
import { useBezzieContext } from './bezzie-context.ts'
import { type LogoutOptions, logout } from './logout.ts'

/** {@link logout} bound to the provider's base path. */
export function useLogout(): (options?: Omit<LogoutOptions, 'basePath'>) => void {
  const { basePath } = useBezzieContext('useLogout()')
  return useCallback((options = {}) => logout({ ...options, basePath }), [basePath])
}
