import { useCallback, useEffect, useId, useRef, useState } from 'react'

/**
 * A button that shows and hides a panel (the nav's menus): `aria-expanded`/`aria-controls` on the
 * button; Escape closes and gives focus back to the button; a click or focus outside closes.
 */
export function useDisclosure<TButton extends HTMLElement, TPanel extends HTMLElement>() {
  const [open, setOpen] = useState(false)
  const panelId = useId()
  const buttonRef = useRef<TButton>(null)
  const panelRef = useRef<TPanel>(null)
  const close = useCallback(() => setOpen(false), [])

  useEffect(() => {
    if (!open) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      setOpen(false)
      buttonRef.current?.focus()
    }
    const onOutside = (event: Event) => {
      const target = event.target as Node | null
      if (buttonRef.current?.contains(target) || panelRef.current?.contains(target)) return
      setOpen(false)
    }
    document.addEventListener('keydown', onKey)
    document.addEventListener('pointerdown', onOutside)
    document.addEventListener('focusin', onOutside)
    return () => {
      document.removeEventListener('keydown', onKey)
      document.removeEventListener('pointerdown', onOutside)
      document.removeEventListener('focusin', onOutside)
    }
  }, [open])

  return {
    open,
    close,
    buttonProps: {
      ref: buttonRef,
      'aria-expanded': open,
      'aria-controls': panelId,
      onClick: () => setOpen((value) => !value),
    },
    panelProps: { ref: panelRef, id: panelId, hidden: !open },
  }
}
