// SPDX-License-Identifier: Apache-2.0
// The trees of every view: a search box, then the visible rows as one flat
// list (WAI-ARIA tree items with aria-level, aria-setsize and
// aria-posinset), only the rows in and near the viewport rendered when
// there are many (virtualised: fixed row height, the list padded to its
// full height), so that "expand all" on a big host stays responsive.
//
// Views describe their trees with <Node>s (id, label, items: a function
// giving the child nodes, or null for a leaf), nested in small function
// components without hooks. <Tree> does not render them as components: it
// flattens them, calling items() of the expanded nodes only (or of every
// node, for the search and for deep links, which must find rows that are
// not shown yet: that index of every row and its search keys is built
// ahead, in idle time, so that the first search does not wait for it).
//
// Rendering stays in short tasks on big hosts: over VIRTUAL_MIN rows only
// the rows near the viewport are rendered; below it, a render that adds
// more than CHUNK rows at once (a view with a hundred namespaces, "expand
// all") adds them CHUNK at a time, one task each.
//
// Keyboard, as the WAI-ARIA tree pattern has it: the tree items take the
// focus (one of them in the tab order: a roving tabindex, on the selected
// row); Up and Down move between the visible items, Home and End to the
// first and last; Right expands, or moves to the first child; Left
// collapses, or moves to the parent; Enter and Space toggle; "d" opens the
// details of the row's namespace or process. Selection
// follows the focus. Search: Enter and Shift+Enter in the box go to the
// next and previous match; Escape clears it.
import { Fragment } from 'preact'
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks'
import { toggleExpanded, useAppState, setState, getState, select, reveal } from '../store.js'
import { compileQuery, rowKeys } from './search.js'

export const ROW_HEIGHT = 26
export const VIRTUAL_MIN = 400
const OVERSCAN = 30
const CHUNK = 50
// rows flattened (or indexed) between two points where the index build
// may pause
const STEP = 100
const IDLE_SLICE = 10

// A tree node: a description that <Tree> flattens, never rendered itself.
export function Node() {
  return null
}

function each(v, fn) {
  if (v == null || typeof v === 'boolean') return
  if (Array.isArray(v)) {
    for (const c of v) each(c, fn)
    return
  }
  const t = v.type
  if (t === Node) fn(v.props)
  else if (t === Fragment) each(v.props.children, fn)
  else if (typeof t === 'function') each(t(v.props), fn)
}

// Runs a generator to its end; its return value.
function finish(steps) {
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}

function levelOf(vnodes) {
  const level = []
  each(vnodes, (p) => level.push(p))
  return level
}

// The rows of the nodes in vnodes: depth-first, into expanded nodes only
// (isOpen), or into all of them (isOpen null: every row, with open false).
// Yields every STEP rows, returns the rows.
function* flattenSteps(vnodes, isOpen) {
  const out = []
  const stack = [{ level: levelOf(vnodes), i: 0, depth: 1, parent: null }]
  while (stack.length) {
    const top = stack[stack.length - 1]
    if (top.i >= top.level.length) {
      stack.pop()
      continue
    }
    const p = top.level[top.i++]
    const expandable = p.items != null
    const open = expandable && (isOpen ? isOpen(p.id) : false)
    out.push({
      id: p.id, label: p.label, cls: p.class, title: p.title, depth: top.depth, parent: top.parent,
      expandable, open, pos: top.i, size: top.level.length,
    })
    if (expandable && (open || !isOpen))
      stack.push({ level: levelOf(p.items()), i: 0, depth: top.depth + 1, parent: p.id })
    if (out.length % STEP === 0) yield
  }
  return out
}

export function flatten(vnodes, isOpen) {
  return finish(flattenSteps(vnodes, isOpen))
}

// The search index: every row, expanded or not, with its search keys, and
// the rows by id.
function* indexSteps(vnodes) {
  const rows = yield* flattenSteps(vnodes, null)
  for (let i = 0; i < rows.length; i++) {
    rowKeys(rows[i])
    if (i % STEP === 0) yield
  }
  return { rows, byId: new Map(rows.map((r) => [r.id, r])) }
}

const idle = (f) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(f)
  : setTimeout(() => f({ timeRemaining: () => 10 }), 20))
const cancelIdle = (h) => (typeof cancelIdleCallback === 'function' ? cancelIdleCallback(h) : clearTimeout(h))

function SearchBox({ label, query, matches, current, go }) {
  const n = matches.length
  const status = !query.trim() ? '' : n ? (current >= 0 ? `${current + 1} of ${n}` : `${n} match${n === 1 ? '' : 'es'}`) : 'no match'
  const step = (d) => n && go((current + d + n) % n)
  return (
    <div class="tree-search" role="search">
      <input type="search" value={query} aria-label={`search ${label}`} data-testid="search"
        placeholder="search: namespace ID, PID, name, container, path"
        onInput={(e) => setState({ search: e.currentTarget.value })}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault()
            step(current < 0 && !e.shiftKey ? 0 : e.shiftKey ? -1 : 1)
          } else if (e.key === 'Escape' && query) {
            e.preventDefault()
            setState({ search: '' })
          }
        }} />
      <span class="search-count" role="status" data-testid="search-count">{status}</span>
      <button class="step" aria-label="previous match" title="previous match (Shift+Enter)" disabled={!n}
        onClick={() => step(-1)}>↑</button>
      <button class="step" aria-label="next match" title="next match (Enter)" disabled={!n}
        onClick={() => step(current < 0 ? 0 : 1)}>↓</button>
    </div>
  )
}

export function Tree({ view, expanded, label, children }) {
  const s = useAppState()
  const ul = useRef()
  const pending = useRef(null) // { id, focus }: a row to scroll to (and focus) once rendered
  const rows = useMemo(() => flatten(children, (id) => expanded.has(id)), [children, expanded])
  const virtual = rows.length > VIRTUAL_MIN
  // the first window: the rows a viewport holds (updateRange() measures)
  const [range, setRange] = useState(() => [0, Math.ceil(innerHeight / ROW_HEIGHT / 10) * 10 + OVERSCAN])

  // Every row, expanded or not, with its search keys (search and deep
  // links), for this discovery, settings and view: built in idle time
  // after the tree is shown, or finished at once when needed before.
  const full = useRef({ key: [], steps: null, value: null })
  const index = () => {
    const key = [s.model, s.settings, view]
    if (key.some((k, i) => k !== full.current.key[i]))
      full.current = { key, steps: indexSteps(children), value: null }
    return full.current
  }
  const allRows = () => {
    const f = index()
    if (!f.value) f.value = finish(f.steps)
    return f.value
  }
  useEffect(() => {
    const f = index()
    if (f.value) return
    let handle = 0
    const work = (deadline) => {
      handle = 0
      if (full.current !== f || f.value) return
      // short slices: an idle period can be 50 ms, a long task
      const stop = performance.now() + Math.min(IDLE_SLICE, deadline.timeRemaining())
      while (performance.now() < stop) {
        const r = f.steps.next()
        if (r.done) {
          f.value = r.value
          return
        }
      }
      handle = idle(work)
    }
    handle = idle(work)
    return () => handle && cancelIdle(handle)
  }, [s.model, s.settings, view])

  const match = useMemo(() => compileQuery(s.search), [s.search])
  const matches = useMemo(() => (match ? allRows().rows.filter(match) : []), [match, s.model, s.settings, view])
  const matchIds = useMemo(() => new Set(matches.map((r) => r.id)), [matches])
  const [current, setCurrent] = useState(-1)
  const go = (k) => {
    setCurrent(k)
    reveal(view, matches[k].id)
  }
  // Typing jumps to the first match (after a pause).
  useEffect(() => {
    setCurrent(-1)
    if (!match) return
    const t = setTimeout(() => matches.length && go(0), 250)
    return () => clearTimeout(t)
  }, [s.search, view])

  // A node to reveal: expand its ancestors, select it, scroll to it.
  useEffect(() => {
    const r = s.reveal
    if (!r || r.view !== view) return
    const all = allRows()
    const row = all.byId.get(r.id)
    if (!row) return setState({ reveal: null })
    const ids = new Set(getState().expanded[view] ?? [])
    for (let p = row.parent; p != null; p = all.byId.get(p)?.parent) ids.add(p)
    if (r.expand && row.expandable) ids.add(row.id)
    pending.current = { id: row.id, focus: !!r.focus }
    const st = getState()
    setState({
      reveal: null,
      expanded: { ...st.expanded, [view]: ids },
      selected: { ...st.selected, [view]: row.id },
    })
  }, [s.reveal])

  const updateRange = () => {
    if (!ul.current) return
    const top = ul.current.getBoundingClientRect().top
    const n = rows.length
    const a = Math.max(0, Math.min(n, Math.floor(-top / ROW_HEIGHT / 10) * 10 - OVERSCAN))
    const b = Math.max(a, Math.min(n, Math.ceil((innerHeight - top) / ROW_HEIGHT / 10) * 10 + OVERSCAN))
    setRange((old) => (old[0] === a && old[1] === b ? old : [a, b]))
  }
  useLayoutEffect(() => {
    if (!virtual) return
    updateRange()
    let frame = 0
    const on = () => {
      if (!frame) frame = requestAnimationFrame(() => {
        frame = 0
        updateRange()
      })
    }
    addEventListener('scroll', on, { passive: true })
    addEventListener('resize', on)
    return () => {
      removeEventListener('scroll', on)
      removeEventListener('resize', on)
      cancelAnimationFrame(frame)
    }
  }, [virtual, rows])

  // Scroll to (and focus) the pending row once it is there.
  useLayoutEffect(() => {
    const want = pending.current
    if (!want || !ul.current) return
    const i = rows.findIndex((r) => r.id === want.id)
    if (i < 0) return
    const el = ul.current.querySelector(`[role=treeitem][data-id="${CSS.escape(want.id)}"]`)
    if (!el && virtual) {
      const top = ul.current.getBoundingClientRect().top + scrollY + i * ROW_HEIGHT
      scrollTo(0, Math.max(0, top - innerHeight / 2))
      updateRange()
      return
    }
    if (!el) return
    pending.current = null
    const r = el.getBoundingClientRect()
    if (r.top < 60 || r.bottom > innerHeight) el.scrollIntoView({ block: 'center' })
    if (want.focus) el.focus({ preventScroll: true })
    if (virtual) updateRange()
  })

  // Below VIRTUAL_MIN rows, all of them, but at most CHUNK more than the
  // last render drew (the rest in the next tasks).
  const drawn = useRef({ view: null, n: 0 })
  if (drawn.current.view !== view) drawn.current = { view, n: 0 }
  const limit = rows.length - drawn.current.n > CHUNK ? drawn.current.n + CHUNK : rows.length
  drawn.current.n = virtual ? 0 : limit
  const [, setMore] = useState(0)
  useEffect(() => {
    if (virtual || limit >= rows.length) return
    const t = setTimeout(() => setMore((x) => x + 1), 0)
    return () => clearTimeout(t)
  })
  let [start, end] = virtual ? range : [0, limit]
  // A row to scroll to that is outside the window: render the window
  // around it (the scroll then moves the window where it belongs).
  if (virtual && pending.current) {
    const i = rows.findIndex((r) => r.id === pending.current.id)
    if (i >= 0 && (i < start || i >= end)) {
      start = Math.max(0, i - OVERSCAN)
      end = Math.min(rows.length, i + OVERSCAN)
    }
  }
  const shown = rows.slice(start, end)
  const selected = s.selected[view]
  const tabStop = shown.some((r) => r.id === selected) ? selected : shown[0]?.id

  const moveTo = (row) => {
    if (!row) return
    select(view, row.id)
    const el = ul.current.querySelector(`[role=treeitem][data-id="${CSS.escape(row.id)}"]`)
    if (el) {
      el.tabIndex = 0
      el.focus()
    } else pending.current = { id: row.id, focus: true }
  }
  const onKey = (e) => {
    const item = e.target.closest?.('[role=treeitem]')
    if (!item || !ul.current?.contains(item) || e.altKey || e.ctrlKey || e.metaKey) return
    const i = rows.findIndex((r) => r.id === item.dataset.id)
    const row = rows[i]
    if (!row) return
    const toggle = () => toggleExpanded(view, row.id)
    let handled = true
    switch (e.key) {
      case 'ArrowDown': moveTo(rows[i + 1]); break
      case 'ArrowUp': moveTo(rows[i - 1]); break
      case 'Home': moveTo(rows[0]); break
      case 'End': moveTo(rows[rows.length - 1]); break
      case 'ArrowRight':
        if (row.expandable && !row.open) toggle()
        else if (row.open && rows[i + 1]?.parent === row.id) moveTo(rows[i + 1])
        break
      case 'ArrowLeft':
        if (row.open) toggle()
        else moveTo(rows.find((r) => r.id === row.parent))
        break
      case 'd':
        item.querySelector('.row button.ns, .row button.proc-link')?.click()
        break
      case 'Enter':
      case ' ':
        if (row.expandable && !e.target.closest('button, a, input, select')) toggle()
        else handled = false
        break
      default: handled = false
    }
    if (handled) e.preventDefault()
  }
  const onFocusIn = (e) => {
    const item = e.target.closest?.('[role=treeitem]')
    if (item && item === e.target) select(view, item.dataset.id)
  }
  const onClick = (e) => {
    const item = e.target.closest?.('[role=treeitem]')
    if (!item) return
    const row = rows.find((r) => r.id === item.dataset.id)
    if (!row) return
    select(view, row.id)
    if (row.expandable && !e.target.closest('button, a')) toggleExpanded(view, row.id)
  }

  return (
    <div class="tree-view">
      <SearchBox label={label} query={s.search} matches={matches} current={current} go={go} />
      <ul class={'tree' + (virtual ? ' virtual' : '')} role="tree" aria-label={label} ref={ul}
        data-rows={rows.length} onKeyDown={onKey} onFocusIn={onFocusIn} onClick={onClick}
        style={virtual ? { paddingTop: start * ROW_HEIGHT + 'px', paddingBottom: (rows.length - end) * ROW_HEIGHT + 'px' } : undefined}>
        {shown.map((r) => {
          const cls = [r.cls, matchIds.has(r.id) && 'match', current >= 0 && matches[current]?.id === r.id && 'current-match',
            r.id === selected && 'selected'].filter(Boolean).join(' ')
          return (
            <li key={r.id} role="treeitem" data-id={r.id} data-parent={r.parent ?? undefined} class={cls || undefined}
              aria-level={r.depth} aria-setsize={r.size} aria-posinset={r.pos}
              aria-expanded={r.expandable ? String(r.open) : undefined}
              aria-selected={r.id === selected ? 'true' : undefined}
              tabIndex={r.id === tabStop ? 0 : -1}>
              <div class={'row' + (r.expandable ? ' expandable' : '')} title={r.title}
                style={{ paddingLeft: 4 + (r.depth - 1) * 20 + 'px' }}>
                <span class="twisty" aria-hidden="true">{r.expandable ? (r.open ? '▾' : '▸') : ''}</span>
                <span class="label">{r.label}</span>
              </div>
            </li>
          )
        })}
      </ul>
    </div>
  )
}
