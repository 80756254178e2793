'use client'
import { useCallback } from 'react'
import { useBezzieContext } from './bezzie-context.ts'
import { type LoginOptions, login } from './login.ts'

/** {@link login} bound to the provider's base path and navigation. */
export function useLogin(): (options?: Omit<LoginOptions, 'basePath'>) => void {
  const { basePath, navigate } = useBezzieContext('useLogin()')
  return useCallback(
    (options = {}) => login({ ...options, basePath, navigate }),
    [basePath, navigate],
  )
}
