import { useQueryClient } from '@tanstack/react-query'
import { Link, useRouter } from '@tanstack/react-router'
import { userQueryKey } from 'bezzie-react'
import { BFF_BASE_PATH } from '../bff.ts'
import { NoticeLayout } from '../components/NoticeLayout.tsx'
import { useDocumentTitle } from '../useDocumentTitle.ts'

/**
 * The dashboard's guard could not read `/auth/me` (the Worker or its session store is down):
 * the session is unknown, which is neither signed in nor signed out, so nothing redirects.
 */
export function SessionErrorPage({ error, reset }: { error: Error; reset: () => void }) {
  useDocumentTitle('Could not check your session')
  const router = useRouter()
  const queryClient = useQueryClient()
  async function retry() {
    await queryClient.resetQueries({ queryKey: userQueryKey(BFF_BASE_PATH), exact: true })
    reset()
    await router.invalidate()
  }
  return (
    <NoticeLayout
      data-testid="session-error"
      role="alert"
      eyebrow={<p className="eyebrow eyebrow--danger">Session unknown</p>}
      title="Could not check your session"
      titleId="session-error-title"
      actions={
        <>
          <button type="button" className="button button--primary" onClick={() => void retry()}>
            Try again
          </button>
          <Link to="/" className="button button--ghost">
            Home
          </Link>
        </>
      }
      aside={
        <>
          <h2 className="notice__aside-title">Nothing was lost</h2>
          <p>
            An outage is not a logout: your session and its tokens stay in the Worker. Once it
            answers again, this page picks up where you were.
          </p>
        </>
      }
    >
      <p className="notice__lede">
        The Worker did not answer as expected ({error.message}). Try again in a moment.
      </p>
    </NoticeLayout>
  )
}
