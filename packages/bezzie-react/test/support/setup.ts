import { cleanup, configure } from '@testing-library/react'
import { afterEach, vi } from 'vitest'
import { resetAuthErrorState } from '../../src/lib/auth-error-state.ts'

// findBy*/waitFor give up after 1 s by default: too short when other suites share the CPU.
configure({ asyncUtilTimeout: 15_000 })

afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  // A new page load for the next test: no auth error read, no login attempt remembered.
  resetAuthErrorState()
  globalThis.sessionStorage?.clear()
})
