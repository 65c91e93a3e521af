// SPDX-License-Identifier: Apache-2.0
// The UI state: the discovery shown (from the service or an imported file),
// loading and errors, settings (kept in localStorage), the auto-refresh
// interval, and which tree nodes are expanded (per view).
import { useEffect, useState } from 'preact/hooks'
import { fromJSON, firstViewExpansion } from './model/discovery.js'

const SETTINGS_KEY = 'lxkns.settings'
const REFRESH_KEY = 'lxkns.refresh.interval'

export const REFRESH_INTERVALS = [
  [0, 'off'], [500, '500 ms'], [1000, '1 s'], [5000, '5 s'], [10000, '10 s'],
  [30000, '30 s'], [60000, '1 min'], [300000, '5 min'],
]

function load(key, fallback) {
  try {
    const v = JSON.parse(localStorage.getItem(key))
    return v ?? fallback
  } catch {
    return fallback
  }
}

function save(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value))
  } catch {
    /* private mode: settings last for this page only */
  }
}

const defaults = { theme: 'system', showSystem: false, showShared: true, expandNew: false }

let state = {
  model: null,      // the model of the discovery shown
  raw: null,        // its JSON text (what "download" saves)
  source: null,     // { kind: 'service' | 'file', name, time }
  loading: false,
  error: null,
  settings: { ...defaults, ...load(SETTINGS_KEY, {}) },
  refresh: REFRESH_INTERVALS.some(([ms]) => ms === load(REFRESH_KEY, 0)) ? load(REFRESH_KEY, 0) : 0,
  expanded: {},     // view -> Set of node ids
  selected: {},     // view -> the selected node id
  reveal: null,     // { view, id, expand }: a node to show (expand its ancestors, select, scroll to)
  search: '',       // the search box's query (one for all views)
  partial: null,
  details: null,    // { kind: 'ns' | 'process', id }: the details dialog shown    // the service's X-Lxkns-Partial-View: why the view is incomplete
  drawer: false,
}
const subscribers = new Set()

export function getState() {
  return state
}

export function setState(patch) {
  state = { ...state, ...(typeof patch === 'function' ? patch(state) : patch) }
  for (const f of subscribers) f(state)
}

export function useAppState() {
  const [s, set] = useState(state)
  useEffect(() => {
    subscribers.add(set)
    set(state)
    return () => subscribers.delete(set)
  }, [])
  return s
}

export function setSetting(key, value) {
  const settings = { ...state.settings, [key]: value }
  save(SETTINGS_KEY, settings)
  setState({ settings })
}

export function setRefresh(ms) {
  save(REFRESH_KEY, ms)
  setState({ refresh: ms })
}

export function expandedOf(view) {
  return state.expanded[view] ?? new Set()
}

export function toggleExpanded(view, id) {
  const set = new Set(expandedOf(view))
  if (set.has(id)) set.delete(id)
  else set.add(id)
  setState({ expanded: { ...state.expanded, [view]: set } })
}

export function setExpanded(view, ids) {
  setState({ expanded: { ...state.expanded, [view]: new Set(ids) } })
}

export function select(view, id) {
  if (state.selected[view] !== id) setState({ selected: { ...state.selected, [view]: id } })
}

// Opens the details dialog of a namespace ('ns', its ID) or a process
// ('process', its PID).
export function openDetails(kind, id) {
  setState({ details: { kind, id } })
}

// Asks the view's tree to show node id: its ancestors expanded (and the
// node itself with expand), selected, scrolled into view.
export function reveal(view, id, expand = false) {
  setState({ reveal: { view, id, expand } })
}

// Lets the browser run other tasks (input, paint) between the steps of
// showing a big discovery, so that none of them is one long task.
const yieldToBrowser = () => new Promise((r) => setTimeout(r, 0))

// Shows a discovery document (text); returns an error message or null.
// Parsing, building the model and rendering are separate tasks.
export async function showDocument(text, source) {
  let model
  try {
    const doc = JSON.parse(text)
    if (text.length > 1 << 20) await yieldToBrowser()
    model = fromJSON(doc)
    if (text.length > 1 << 20) await yieldToBrowser()
  } catch (e) {
    return e.message
  }
  // The first view tells the story without a click: the initial user
  // namespace expanded one level (and its process-less children), on the
  // first discovery and on every imported one; later refreshes keep what
  // the user expanded or collapsed.
  let expanded = state.expanded
  if (!expanded.all || source?.kind === 'file')
    expanded = { ...expanded, all: new Set(firstViewExpansion(model)) }
  setState({ model, raw: text, source, error: null, expanded })
  return null
}

let inflight = null

// Fetches a new discovery from the service (relative to <base>); one at a
// time.
export async function refresh() {
  if (inflight) return inflight
  setState({ loading: true })
  inflight = (async () => {
    try {
      const resp = await fetch('api/namespaces', { cache: 'no-store' })
      const text = await resp.text()
      if (!resp.ok) {
        let msg = `${resp.status} ${resp.statusText}`
        try {
          msg = JSON.parse(text).message ?? msg
        } catch { /* not JSON */ }
        throw new Error(msg)
      }
      const err = await showDocument(text, { kind: 'service', name: 'api/namespaces', time: new Date() })
      if (err) throw new Error(err)
      // Why the service's view is incomplete (unreadable processes, lack
      // of privilege), in one line; absent when it is complete.
      setState({ partial: resp.headers.get('X-Lxkns-Partial-View')?.trim() || null })
    } catch (e) {
      setState({ error: `cannot discover: ${e.message}` })
    } finally {
      inflight = null
      setState({ loading: false })
    }
  })()
  return inflight
}

// Reads a saved discovery (a File); turns auto-refresh off.
export async function importFile(file) {
  const text = await file.text()
  const err = await showDocument(text, { kind: 'file', name: file.name, time: new Date() })
  if (err) {
    setState({ error: `cannot import ${file.name}: ${err}` })
    return false
  }
  setState({ partial: null })
  setRefresh(0)
  return true
}

export function download() {
  if (!state.raw) return
  const blob = new Blob([state.raw], { type: 'application/json' })
  const a = document.createElement('a')
  const t = (state.source?.time ?? new Date()).toISOString().replace(/[:.]/g, '-')
  a.href = URL.createObjectURL(blob)
  a.download = `lxkns-discovery-${t}.json`
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 1000)
}
