/** A route's pending state: a spinner and what is happening. */
export function PageStatus({ children }: { children: string }) {
  return (
    <section className="container page-status" role="status" data-testid="page-status">
      <span className="spinner spinner--accent" aria-hidden="true" />
      {children}
    </section>
  )
}
