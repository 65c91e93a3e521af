// SPDX-License-Identifier: Apache-2.0
// A tree that renders children only when their parent is expanded, so big
// hosts (thousands of processes, a thousand namespaces) stay responsive.
// Expansion lives in the store, per view; "expand all" sets every
// expandable id a view reports.
//
// Keyboard, as the WAI-ARIA tree pattern has it: the tree items themselves
// take the focus (one of them in the tab order: a roving tabindex); Up and
// Down move between the visible items, Home and End to the first and last;
// Right expands, or moves to the first child; Left collapses, or moves to
// the parent; Enter and Space toggle.
import { createContext } from 'preact'
import { useContext, useLayoutEffect, useRef } from 'preact/hooks'
import { toggleExpanded } from '../store.js'

export const TreeContext = createContext({ view: '', expanded: new Set() })

function focusItem(from, to) {
  if (!to) return
  if (from && from !== to) from.tabIndex = -1
  to.tabIndex = 0
  to.focus()
}

export function Tree({ view, expanded, label, children }) {
  const ref = useRef()
  // One item in the tab order: the last one focused, else the first.
  useLayoutEffect(() => {
    const t = ref.current
    if (t && !t.querySelector('[role=treeitem][tabindex="0"]'))
      t.querySelector('[role=treeitem]')?.setAttribute('tabindex', '0')
  })
  const onFocusIn = (e) => {
    const item = e.target.closest?.('[role=treeitem]')
    if (!item || item !== e.target) return
    for (const o of ref.current.querySelectorAll('[role=treeitem][tabindex="0"]')) if (o !== item) o.tabIndex = -1
    item.tabIndex = 0
  }
  const onKey = (e) => {
    const item = e.target.closest?.('[role=treeitem]')
    if (!item || !ref.current?.contains(item) || e.altKey || e.ctrlKey || e.metaKey) return
    const items = [...ref.current.querySelectorAll('[role=treeitem]')]
    const i = items.indexOf(item)
    const exp = item.getAttribute('aria-expanded')
    const toggle = () => toggleExpanded(view, item.dataset.id)
    let handled = true
    switch (e.key) {
      case 'ArrowDown': focusItem(item, items[i + 1]); break
      case 'ArrowUp': focusItem(item, items[i - 1]); break
      case 'Home': focusItem(item, items[0]); break
      case 'End': focusItem(item, items[items.length - 1]); break
      case 'ArrowRight':
        if (exp === 'false') toggle()
        else if (exp === 'true') focusItem(item, item.querySelector(':scope > ul > [role=treeitem]'))
        break
      case 'ArrowLeft':
        if (exp === 'true') toggle()
        else focusItem(item, item.parentElement?.closest('[role=treeitem]'))
        break
      case 'Enter':
      case ' ':
        if (exp != null && !e.target.closest('button, a, input, select')) toggle()
        else handled = false
        break
      default: handled = false
    }
    if (handled) e.preventDefault()
  }
  return (
    <TreeContext.Provider value={{ view, expanded }}>
      <ul class="tree" role="tree" aria-label={label} ref={ref} onKeyDown={onKey}
        onFocusIn={onFocusIn}>
        {children}
      </ul>
    </TreeContext.Provider>
  )
}

// id: unique in the view; label: the row; items: () => child nodes, or
// null for a leaf.
export function Node({ id, label, items, class: cls, title }) {
  const { view, expanded } = useContext(TreeContext)
  const open = items != null && expanded.has(id)
  const toggle = (e) => {
    if (items == null) return
    if (e.target.closest('button, a')) return
    toggleExpanded(view, id)
  }
  return (
    <li role="treeitem" aria-expanded={items != null ? String(open) : undefined} class={cls} data-id={id}
      tabIndex={-1}>
      <div class={'row' + (items != null ? ' expandable' : '')} onClick={toggle} title={title}>
        <span class="twisty" aria-hidden="true">{items != null ? (open ? '▾' : '▸') : ''}</span>
        <span class="label">{label}</span>
      </div>
      {open && <ul role="group">{items()}</ul>}
    </li>
  )
}
