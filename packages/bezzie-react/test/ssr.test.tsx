// @vitest-environment node
import { QueryClient } from '@tanstack/react-query'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { BezzieProvider, Protected, useUser } from '../src/index.ts'

function Greeting() {
  const { user } = useUser<{ sub: string; name: string }>()
  return <p>hello {user?.name}</p>
}

describe('server-side rendering', () => {
  // The static import above already ran in this window-less environment; a top-level
  // window access would have failed the whole file.
  it('imports without window or document', async () => {
    expect(typeof globalThis.window).toBe('undefined')
    expect(typeof globalThis.document).toBe('undefined')
    const module = await import('../src/index.ts')
    expect(typeof module.BezzieProvider).toBe('function')
  })

  it('renders the seeded user on the server without fetching', async () => {
    const html = renderToString(
      <BezzieProvider
        initialUser={{ sub: 'alice', name: 'Alice' }}
        fetch={() => Promise.reject(new Error('no fetch during SSR'))}
      >
        <Protected>
          <Greeting />
        </Protected>
      </BezzieProvider>,
    )
    expect(html).toContain('hello <!-- -->Alice')
  })

  it('renders onRedirecting for an unknown session, without navigating', async () => {
    const html = renderToString(
      <BezzieProvider queryClient={new QueryClient()}>
        <Protected onRedirecting={<p>checking</p>}>
          <p>secret</p>
        </Protected>
      </BezzieProvider>,
    )
    expect(html).toBe('<p>checking</p>')
  })
})
