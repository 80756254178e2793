import { QueryClient } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import type { ReactNode } from 'react'
import { BezzieProvider, type BezzieProviderProps } from '../../src/bezzie-provider.tsx'

/** Renders `ui` under a `<BezzieProvider>` with a fresh QueryClient for this test alone. */
export function renderWithBezzie(ui: ReactNode, props: Omit<BezzieProviderProps, 'children'> = {}) {
  const queryClient = props.queryClient ?? new QueryClient()
  const result = render(
    <BezzieProvider basePath="/auth" {...props} queryClient={queryClient}>
      {ui}
    </BezzieProvider>,
  )
  return { ...result, queryClient }
}
