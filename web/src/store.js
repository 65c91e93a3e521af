// SPDX-License-Identifier: Apache-2.0
// The UI state: the discovery shown (from the service or an imported file),
// loading and errors, settings (kept in localStorage), the auto-refresh
// interval, and which tree nodes are expanded (per view).
import { useEffect, useState } from 'preact/hooks'
import { buildModel, firstViewExpansion, nextTask, joinPart } from './model/discovery.js'

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
  raw: null,        // its JSON text, a Blob (what "download" saves)
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

// The load status (role=status): what is being loaded and how far it is,
// then what an import brought. Its own small store, so that a progress
// step re-renders the status line only, not the views.
let loadStatus = ''
const statusSubscribers = new Set()

function setLoadStatus(text) {
  if (text === loadStatus) return
  loadStatus = text
  for (const f of statusSubscribers) f(text)
}

export function useLoadStatus() {
  const [s, set] = useState(loadStatus)
  useEffect(() => {
    statusSubscribers.add(set)
    set(loadStatus)
    return () => statusSubscribers.delete(set)
  }, [])
  return s
}

// Parsing happens in a Web Worker (model/load-worker.js), which posts the
// document back in parts (each its own task here); where there is no
// worker (or it fails to load), here.
let worker = null
let workerFailed = false
let requests = 0

function getWorker() {
  if (!worker && !workerFailed && typeof Worker !== 'undefined') {
    try {
      worker = new Worker(new URL('./model/load-worker.js', import.meta.url), { type: 'module' })
    } catch {
      workerFailed = true
    }
  }
  return worker
}

const parseHere = async (blob) => JSON.parse(await blob.text())

function parseDocument(blob) {
  const w = getWorker()
  if (!w) return parseHere(blob)
  const id = ++requests
  return new Promise((resolve, reject) => {
    let doc
    const stop = () => {
      w.removeEventListener('message', onMessage)
      w.removeEventListener('error', onError)
    }
    const onMessage = (e) => {
      const m = e.data
      if (m.id !== id) return
      if (m.error != null) {
        stop()
        reject(new SyntaxError(m.error))
      } else if (m.end) {
        stop()
        resolve(doc)
      } else if ('head' in m) doc = m.head
      else joinPart(doc, m)
    }
    const onError = (e) => {
      // the worker did not load (or died): parse here from now on
      e.preventDefault?.()
      stop()
      workerFailed = true
      worker = null
      w.terminate()
      parseHere(blob).then(resolve, reject)
    }
    w.addEventListener('message', onMessage)
    w.addEventListener('error', onError)
    w.postMessage({ id, blob })
  })
}

// Documents smaller than this load without a status line (a service
// refresh every second would otherwise announce itself every second).
const QUIET_SIZE = 256 << 10
let generation = 0

// Shows a discovery document (a Blob, or a string); returns an error
// message or null. Reading and parsing (in the worker), building the
// model (in slices) and rendering are separate tasks, none of them long,
// with a status line saying how far it is. A later call supersedes an
// earlier one that is still loading (which then returns null, showing
// nothing).
export async function showDocument(data, source) {
  const blob = typeof data === 'string' ? new Blob([data], { type: 'application/json' }) : data
  const gen = ++generation
  const file = source?.kind === 'file'
  const name = file ? source.name : 'the discovery'
  const loud = file || blob.size >= QUIET_SIZE
  if (loud) setLoadStatus(`Loading ${name}: reading ${Math.round(blob.size / 1024)} KiB…`)
  let model
  try {
    const doc = await parseDocument(blob)
    if (gen !== generation) return null
    let shown = -1
    model = await buildModel(doc, {
      onProgress: ({ done, total, processes, namespaces }) => {
        const pct = Math.floor((done / total) * 10) * 10
        if (!loud || pct === shown || gen !== generation) return
        shown = pct
        setLoadStatus(`Loading ${name}: ${processes} processes, ${namespaces} namespaces, ${pct} % modelled…`)
      },
    })
    if (gen !== generation) return null
    // rendering the first view is a task of its own
    await nextTask()
    if (gen !== generation) return null
  } catch (e) {
    if (gen === generation) setLoadStatus('')
    return e.message
  }
  // The first view tells the story without a click: the initial user
  // namespace expanded one level (and its process-less children), on the
  // first discovery and on every imported one; later refreshes keep what
  // the user expanded or collapsed.
  let expanded = state.expanded
  if (!expanded.all || file)
    expanded = { ...expanded, all: new Set(firstViewExpansion(model)) }
  setState({ model, raw: blob, source, error: null, expanded })
  setLoadStatus(file ? `Imported ${name}: ${model.count} namespaces, ${model.processes.size} processes.` : '')
  return null
}

let inflight = null
let importing = 0

// Fetches a new discovery from the service (relative to <base>); one at a
// time, and none while a file is being imported (it would supersede it).
export async function refresh() {
  if (inflight) return inflight
  if (importing) return
  setState({ loading: true })
  inflight = (async () => {
    try {
      const resp = await fetch('api/namespaces', { cache: 'no-store' })
      const blob = await resp.blob()
      if (!resp.ok) {
        const text = await blob.text()
        let msg = `${resp.status} ${resp.statusText}`
        try {
          msg = JSON.parse(text).message ?? msg
        } catch { /* not JSON */ }
        throw new Error(msg)
      }
      const err = await showDocument(blob, { kind: 'service', name: 'api/namespaces', time: new Date() })
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
  importing++
  let err
  try {
    err = await showDocument(file, { kind: 'file', name: file.name, time: new Date() })
  } finally {
    importing--
  }
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
