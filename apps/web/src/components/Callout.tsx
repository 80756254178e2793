import type { ReactNode } from 'react'

/** Props of {@link Callout}. */
export interface CalloutProps {
  /** `info` explains, `error` reports a failure (announced to screen readers as an alert). */
  tone: 'info' | 'error'
  title: string
  children: ReactNode
  'data-testid'?: string
}

/** A boxed note with a title: the dashboard's explanations and its error report. */
export function Callout({ tone, title, children, 'data-testid': testId }: CalloutProps) {
  return (
    <div
      className={`callout callout--${tone}`}
      role={tone === 'error' ? 'alert' : 'note'}
      data-testid={testId}
    >
      <span className="callout__icon" aria-hidden="true">
        {tone === 'error' ? '!' : 'i'}
      </span>
      <div className="callout__body">
        <p className="callout__title">{title}</p>
        {children}
      </div>
    </div>
  )
}
