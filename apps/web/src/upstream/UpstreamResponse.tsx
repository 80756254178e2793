import { useQuery } from '@tanstack/react-query'
import { useBezzieFetch } from 'bezzie-react'
import { Callout } from '../components/Callout.tsx'
import { UpstreamError, upstreamMeQueryOptions } from './upstream-me.ts'

function describeFailure(error: Error): string {
  if (error instanceof UpstreamError) {
    const what =
      error.status === 401
        ? 'Your session is no longer valid.'
        : error.status >= 500
          ? 'The Worker could not get an answer from the upstream API.'
          : 'The request was refused.'
    return `${what} HTTP ${error.status}${error.detail ? ` — ${error.detail}` : ''}.`
  }
  return `The request did not complete: ${error.message}`
}

/**
 * The dashboard's upstream call: `GET /api/me` through the BFF, shown as the raw JSON the
 * upstream API returned, with what it proves, or an error callout when it failed.
 */
export function UpstreamResponse({ sub }: { sub: string }) {
  const bezzieFetch = useBezzieFetch()
  const query = useQuery(upstreamMeQueryOptions(bezzieFetch, sub))

  return (
    <section className="card panel" aria-labelledby="upstream-title">
      <div className="panel__header">
        <div>
          <h2 id="upstream-title" className="panel__title">
            Response from the upstream API
          </h2>
          <p className="panel__subtitle">
            <code>GET /api/me</code> — sent by this page with only its session cookie.
          </p>
        </div>
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => query.refetch()}
          disabled={query.isFetching}
          data-testid="upstream-refetch"
        >
          {query.isFetching ? 'Calling…' : 'Call again'}
        </button>
      </div>

      {query.isPending && (
        <p className="panel__loading" role="status" data-testid="upstream-loading">
          Calling the upstream API through the Worker…
        </p>
      )}

      {query.isError && (
        <Callout tone="error" title="The upstream call failed" data-testid="upstream-error">
          <p>{describeFailure(query.error)}</p>
          <p>
            Your tokens are still safe in the Worker; try again in a moment. If this keeps
            happening, check that the upstream API is running and trusts the IdP's tokens.
          </p>
        </Callout>
      )}

      {query.isSuccess && (
        <>
          {query.data.tokenType && (
            <p className="token-type" data-testid="upstream-token-type">
              Token type sent upstream:{' '}
              <span className="token-type__badge">{query.data.tokenType}</span>
              {query.data.tokenType === 'DPoP'
                ? ' — bound to the Worker’s key; a copy is useless without it'
                : ' — whoever holds a copy can use it'}
            </p>
          )}
          <pre className="json" data-testid="upstream-json">
            <code>{JSON.stringify(query.data, null, 2)}</code>
          </pre>
          <Callout tone="info" title="The token was injected by the Worker">
            <p>
              Your browser sent no <code>Authorization</code> header. The Worker looked up your
              session, attached{' '}
              {query.data.tokenType === 'DPoP' ? (
                <>
                  <code>Authorization: DPoP …</code> with a one-time proof signed by its key
                </>
              ) : (
                <code>Authorization: Bearer …</code>
              )}
              , and the upstream API verified that JWT against the IdP's keys before answering
              {query.data.receivedAuthorization ? (
                <>
                  {' '}
                  — hence <code>"receivedAuthorization": true</code>
                </>
              ) : null}
              .
            </p>
          </Callout>
        </>
      )}
    </section>
  )
}
