// SPDX-License-Identifier: Apache-2.0
import { useEffect, useRef } from 'preact/hooks'
import { CloseIcon } from './icons.jsx'

let dialogs = 0

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])'

// A modal dialog (native <dialog>, labelled by its title): Escape, the
// close button and a click on the backdrop close it; Tab and Shift+Tab
// cycle within it (the focus trap); the focus goes back to where it was
// when it closes.
export function Dialog({ title, onClose, children, class: cls }) {
  const ref = useRef()
  const id = useRef(`dialog-title-${++dialogs}`)
  useEffect(() => {
    const d = ref.current
    const opener = document.activeElement
    if (d && !d.open) d.showModal()
    d?.querySelector('button.close')?.focus()
    const onCancel = (e) => {
      e.preventDefault()
      onClose()
    }
    d?.addEventListener('cancel', onCancel)
    return () => {
      d?.removeEventListener('cancel', onCancel)
      if (d?.open) d.close()
      if (opener?.isConnected) opener.focus({ preventScroll: true })
    }
  }, [])
  const onKeyDown = (e) => {
    if (e.key !== 'Tab') return
    const all = [...ref.current.querySelectorAll(FOCUSABLE)].filter((el) => el.getClientRects().length)
    if (!all.length) return
    const first = all[0], last = all[all.length - 1]
    if (e.shiftKey && (document.activeElement === first || !ref.current.contains(document.activeElement))) {
      e.preventDefault()
      last.focus()
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault()
      first.focus()
    }
  }
  return (
    <dialog ref={ref} class={'dialog' + (cls ? ' ' + cls : '')} aria-labelledby={id.current} onKeyDown={onKeyDown}
      onClick={(e) => e.target === ref.current && onClose()}>
      <header>
        <h2 id={id.current}>{title}</h2>
        <button class="icon close" onClick={onClose} aria-label="close" title="close (Escape)">
          <CloseIcon />
        </button>
      </header>
      <div class="body">{children}</div>
    </dialog>
  )
}
