import type { AnchorHTMLAttributes, MouseEvent } from 'react'
import { navigate } from './history.ts'

/** Props of {@link Link}: an anchor whose `href` is a path of this SPA. */
export interface LinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  href: string
}

function isPlainLeftClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey
}

/**
 * An `<a>` that navigates client-side on a plain left click and behaves like any link otherwise
 * (new tab, copy address, no JavaScript). Only for SPA routes: `/auth/*` must be real navigations.
 */
export function Link({ href, onClick, target, ...rest }: LinkProps) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event)
    if (event.defaultPrevented || !isPlainLeftClick(event) || (target && target !== '_self')) return
    event.preventDefault()
    navigate(href)
  }
  return <a href={href} target={target} onClick={handleClick} {...rest} />
}
