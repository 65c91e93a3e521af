// SPDX-License-Identifier: Apache-2.0
// A tree that renders children only when their parent is expanded, so big
// hosts (thousands of processes, a thousand namespaces) stay responsive.
// Expansion lives in the store, per view; "expand all" sets every
// expandable id a view reports.
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import { toggleExpanded } from '../store.js'

export const TreeContext = createContext({ view: '', expanded: new Set() })

export function Tree({ view, expanded, label, children }) {
  return (
    <TreeContext.Provider value={{ view, expanded }}>
      <ul class="tree" role="tree" aria-label={label}>
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
  const onKey = (e) => {
    if (items == null) return
    if ((e.key === 'ArrowRight' && !open) || (e.key === 'ArrowLeft' && open) || e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      toggleExpanded(view, id)
    }
  }
  return (
    <li role="treeitem" aria-expanded={items != null ? String(open) : undefined} class={cls} data-id={id}>
      <div class={'row' + (items != null ? ' expandable' : '')} onClick={toggle} onKeyDown={onKey}
        tabIndex={items != null ? 0 : undefined} title={title}>
        <span class="twisty" aria-hidden="true">{items != null ? (open ? '▾' : '▸') : ''}</span>
        <span class="label">{label}</span>
      </div>
      {open && <ul role="group">{items()}</ul>}
    </li>
  )
}
