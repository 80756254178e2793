import type { ReactNode } from 'react'

/** Props of {@link NoticeLayout}. */
export interface NoticeLayoutProps {
  /** Small line above the title, or a big code such as 404. */
  eyebrow: ReactNode
  title: string
  titleId: string
  children: ReactNode
  actions: ReactNode
  /** The card beside the text on wide screens (below it on phones). */
  aside: ReactNode
  'data-testid'?: string
  role?: 'alert'
}

/** The full-width layout of the site's notice pages: text and actions, with a card beside them. */
export function NoticeLayout({
  eyebrow,
  title,
  titleId,
  children,
  actions,
  aside,
  'data-testid': testId,
  role,
}: NoticeLayoutProps) {
  return (
    <section className="notice container" aria-labelledby={titleId} data-testid={testId}>
      <div className="notice__text" role={role}>
        {eyebrow}
        <h1 id={titleId} className="page-title">
          {title}
        </h1>
        <div className="notice__body">{children}</div>
        <div className="notice__actions">{actions}</div>
      </div>
      <aside className="notice__aside card" aria-label="More about this page">
        {aside}
      </aside>
    </section>
  )
}
