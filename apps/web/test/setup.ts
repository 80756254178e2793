import { cleanup, configure } from '@testing-library/react'
import { afterEach } from 'vitest'

// findBy*/waitFor give up after 1 s by default: too short when other suites share the CPU.
configure({ asyncUtilTimeout: 15_000 })

// Testing Library only cleans up by itself when the test runner exposes globals.
afterEach(() => {
  if (typeof window === 'undefined') return
  cleanup()
  window.history.replaceState(null, '', '/')
  // bezzie-react's loop breaker remembers automatic logins per tab.
  sessionStorage.clear()
})
