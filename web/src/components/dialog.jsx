// SPDX-License-Identifier: Apache-2.0
import { useEffect, useRef } from 'preact/hooks'
import { CloseIcon } from './icons.jsx'

// A modal dialog (native <dialog>): Escape and the close button close it.
export function Dialog({ title, onClose, children }) {
  const ref = useRef()
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
    const onCancel = (e) => {
      e.preventDefault()
      onClose()
    }
    d?.addEventListener('cancel', onCancel)
    return () => d?.removeEventListener('cancel', onCancel)
  }, [])
  return (
    <dialog ref={ref} class="dialog" aria-label={title} onClick={(e) => e.target === ref.current && onClose()}>
      <header>
        <h2>{title}</h2>
        <button class="icon" onClick={onClose} aria-label="close" title="close">
          <CloseIcon />
        </button>
      </header>
      <div class="body">{children}</div>
    </dialog>
  )
}
