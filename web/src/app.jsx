// SPDX-License-Identifier: Apache-2.0
// The application frame: app bar (title, namespace count, expand/collapse
// all, refresh and auto-refresh, download, import), the navigation drawer,
// the current view, and dropping a saved discovery onto the window.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import {
  useAppState, useLoadStatus, refresh, setRefresh, importFile, download, setExpanded, setState,
  getState, reveal, REFRESH_INTERVALS,
} from './store.js'
import { isSystemProcess } from './model/discovery.js'
import { useRoute, Link } from './router.jsx'
import {
  MenuIcon, RefreshIcon, ExpandIcon, CollapseIcon, DownloadIcon, UploadIcon,
} from './components/icons.jsx'
import { AllNamespaces, allIds } from './views/allns.jsx'
import { TypedView, typedIds, nsRowId, processRowId } from './views/typed.jsx'
import { Containers, containerIds } from './views/containers.jsx'
import { Mounts, mountIds } from './views/mounts.jsx'
import { Affinities, affinityIds } from './views/affinities.jsx'
import { Graph } from './views/graph.jsx'
import { Settings } from './views/settings.jsx'
import { Help } from './views/help.jsx'
import { About } from './views/about.jsx'
import { DetailsDialog } from './views/details.jsx'

const typed = (type) => ({
  path: '/' + type, key: type, title: `${type} namespaces`, nav: type,
  render: (p) => <TypedView {...p} type={type} />,
  ids: (m, s) => typedIds(m, s, type),
})

export const VIEWS = [
  { path: '/', key: 'all', title: 'All namespaces', nav: 'All namespaces', render: (p) => <AllNamespaces {...p} />, ids: allIds },
  { path: '/containers', key: 'containers', title: 'Containers', nav: 'Containers', render: (p) => <Containers {...p} />, ids: containerIds },
  typed('user'), typed('pid'), typed('cgroup'), typed('ipc'),
  { path: '/mnt', key: 'mnt', title: 'mnt namespaces and mounts', nav: 'mnt', render: (p) => <Mounts {...p} />, ids: mountIds },
  typed('net'), typed('uts'), typed('time'),
  { path: '/affinities', key: 'affinities', title: 'CPU affinities', nav: 'CPU affinities', render: (p) => <Affinities {...p} />, ids: affinityIds },
  { path: '/graph', key: 'graph', title: 'Namespace graph', nav: 'Graph', render: (p) => <Graph {...p} />, noData: false },
  { path: '/settings', key: 'settings', title: 'Settings', nav: 'Settings', render: (p) => <Settings {...p} />, page: true },
  { path: '/help', key: 'help', title: 'Help', nav: 'Help', render: () => <Help />, page: true },
  { path: '/about', key: 'about', title: 'About', nav: 'About', render: (p) => <About {...p} />, page: true },
]

// Deep links: /ns/ID opens the view of the namespace's type, /pid/PID the
// PID view, with the row expanded, selected and scrolled into view. What
// it finds: { view key, row id, title, note } or { error }.
export function deepLink(route, model, settings) {
  const m = /^\/(ns|pid)\/([^/]*)$/.exec(route)
  if (!m) return null
  const [, kind, arg] = m
  const what = kind === 'ns' ? 'namespace' : 'process'
  if (!/^[1-9]\d{0,19}$/.test(arg))
    return { error: kind === 'ns' ? `"${arg}" is not a namespace ID (an inode number, such as 4026531837).`
      : `"${arg}" is not a PID.`, title: `no such ${what}` }
  if (!model) return { title: `${what} ${arg}` }
  if (kind === 'ns') {
    const ns = model.namespaces.get(Number(arg))
    if (!ns) return { error: `No namespace ${arg} in this discovery.`, title: `no such ${what}` }
    return { key: ns.type, id: nsRowId(ns), title: `${ns.type}:[${ns.nsid}]` }
  }
  const p = model.processes.get(Number(arg))
  if (!p) return { error: `No process with PID ${arg} in this discovery.`, title: `no such ${what}` }
  const pidns = p.namespaces.pid
  if (!pidns)
    return { error: `Process ${arg} ("${p.name}") has no PID namespace in this discovery (its namespaces could not be read).`, title: `process ${arg}` }
  const hidden = !settings.showSystem && isSystemProcess(p)
  return {
    key: 'pid', id: hidden ? nsRowId(pidns) : processRowId(p), title: `process ${arg}`,
    note: hidden ? `Process ${arg} ("${p.name}") is a system process, not shown (see Settings); here is its PID namespace.` : null,
  }
}

function useTheme(theme) {
  // Before the browser paints: no flash of the other theme.
  useLayoutEffect(() => {
    const apply = () => {
      const dark = theme === 'dark' || (theme === 'system' && matchMedia('(prefers-color-scheme: dark)').matches)
      document.documentElement.dataset.theme = dark ? 'dark' : 'light'
    }
    apply()
    const mq = matchMedia('(prefers-color-scheme: dark)')
    mq.addEventListener('change', apply)
    return () => mq.removeEventListener('change', apply)
  }, [theme])
}

function useAutoRefresh(ms) {
  useEffect(() => {
    if (!ms) return
    let stop = false, timer
    const tick = async () => {
      await refresh()
      if (!stop) timer = setTimeout(tick, ms)
    }
    timer = setTimeout(tick, ms)
    return () => {
      stop = true
      clearTimeout(timer)
    }
  }, [ms])
}

function AppBar({ s, view }) {
  const file = useRef()
  const [slow, setSlow] = useState(false)
  useEffect(() => {
    if (!s.loading) return setSlow(false)
    const t = setTimeout(() => setSlow(true), 300)
    return () => clearTimeout(t)
  }, [s.loading])
  const treeView = view.ids && s.model
  return (
    <header class="appbar">
      <button class="icon" aria-label="menu" title="menu" onClick={() => setState({ drawer: !s.drawer })}>
        <MenuIcon />
      </button>
      <h1>
        <span class="brand">lxkns</span> <span class="view-title">{view.title}</span>
        {s.model && <span class="badge" title="namespaces" data-testid="ns-count">{s.model.count}</span>}
      </h1>
      {s.source?.kind === 'file' && <span class="chip" title="imported file">{s.source.name}</span>}
      <span class="spacer" />
      {treeView && (
        <>
          <button class="icon" aria-label="expand all" title="expand all"
            onClick={() => setExpanded(view.key, view.ids(s.model, s.settings))}>
            <ExpandIcon />
          </button>
          <button class="icon" aria-label="collapse all" title="collapse all" onClick={() => setExpanded(view.key, [])}>
            <CollapseIcon />
          </button>
        </>
      )}
      <button class={'icon' + (slow ? ' spinning' : '')} aria-label="refresh" title="discover again"
        onClick={() => refresh()} disabled={s.loading}>
        <RefreshIcon />
      </button>
      <select aria-label="auto-refresh" title="auto-refresh" value={s.refresh}
        onChange={(e) => setRefresh(Number(e.currentTarget.value))}>
        {REFRESH_INTERVALS.map(([ms, text]) => <option key={ms} value={ms}>{ms ? `every ${text}` : 'auto-refresh off'}</option>)}
      </select>
      <button class="icon" aria-label="download" title="download the discovery as JSON" onClick={download} disabled={!s.raw}>
        <DownloadIcon />
      </button>
      <button class="icon" aria-label="import" title="import a saved discovery" onClick={() => file.current.click()}>
        <UploadIcon />
      </button>
      <input ref={file} type="file" accept=".json,application/json" hidden data-testid="import-file"
        onChange={async (e) => {
          const input = e.currentTarget
          const f = input.files[0]
          input.value = ''
          if (f) await importFile(f)
        }} />
    </header>
  )
}

// What is being loaded, how far it is, then what an import brought: a
// live region that is always there (an added one may not be announced),
// empty when there is nothing to say.
function LoadStatus() {
  const text = useLoadStatus()
  return <p class="load-status" role="status" data-testid="load-status">{text}</p>
}

function Drawer({ s, route }) {
  const close = () => setState({ drawer: false })
  return (
    <nav class={'drawer' + (s.drawer ? ' open' : '')} aria-label="views">
      {VIEWS.flatMap((v, i) => [
        ...(i === 2 || v.path === '/affinities' || v.path === '/settings' ? [<hr key={'hr' + i} />] : []),
        <Link key={v.path} to={v.path} class={route === v.path ? 'active' : ''} onNavigate={close}
          aria-current={route === v.path ? 'page' : undefined}>
          {v.nav}
        </Link>,
      ])}
    </nav>
  )
}

export function App() {
  const s = useAppState()
  const route = useRoute()
  const [drop, setDrop] = useState(false)
  const link = deepLink(route, s.model, s.settings)
  const found = link?.key ? VIEWS.find((v) => v.key === link.key) : null
  const view = link ? (found ? { ...found, title: `${found.title}: ${link.title}` } : { key: 'link', title: link.title, page: true, render: () => null })
    : VIEWS.find((v) => v.path === route)
  const revealed = useRef(null)
  useEffect(() => {
    if (!link?.id) {
      revealed.current = null
      return
    }
    if (revealed.current === route) return
    revealed.current = route
    reveal(link.key, link.id, true)
  }, [route, s.model])
  useTheme(s.settings.theme)
  useAutoRefresh(s.refresh)
  useEffect(() => {
    refresh()
  }, [])
  // "Expand everything after loading": on every new discovery.
  useEffect(() => {
    if (!s.model || !s.settings.expandNew) return
    const expanded = {}
    for (const v of VIEWS) if (v.ids) expanded[v.key] = new Set(v.ids(s.model, s.settings))
    setState({ expanded })
  }, [s.model])
  useEffect(() => {
    document.title = `lxkns: ${view ? view.title : 'not found'}`
  }, [view])

  const onDrop = async (e) => {
    e.preventDefault()
    setDrop(false)
    const f = e.dataTransfer?.files?.[0]
    if (f) await importFile(f)
  }
  const props = { model: s.model, settings: s.settings, source: s.source, expanded: s.expanded[view?.key] ?? new Set() }
  let body
  if (!view) body = <p class="empty">No such view: {route}. <Link to="/">All namespaces</Link></p>
  else if (link?.error) body = <p class="empty deep-error" role="alert">{link.error} <Link to="/">All namespaces</Link></p>
  else if (view.page && !link) body = view.render(props)
  else if (!s.model) body = <p class="empty">{s.loading ? 'Discovering…' : 'No discovery yet.'}</p>
  else body = view.render(props)

  return (
    <div class={'app' + (drop ? ' dropping' : '')}
      onDragOver={(e) => { e.preventDefault(); setDrop(true) }}
      onDragLeave={(e) => { if (e.target === e.currentTarget) setDrop(false) }}
      onDrop={onDrop}>
      <AppBar s={s} view={view ?? { title: 'not found' }} />
      <Drawer s={s} route={route} />
      <main class={view?.key === 'graph' ? 'wide' : ''} onClick={() => s.drawer && setState({ drawer: false })}>
        {s.error && (
          <div class="error" role="alert">
            {s.error} <button onClick={() => setState({ error: null })}>dismiss</button>
          </div>
        )}
        {s.partial && s.source?.kind === 'service' && (
          <p class="partial-notice" role="status" data-testid="partial-view">
            <strong>Partial view:</strong> {s.partial}. What the service could not see is missing here.
          </p>
        )}
        {link?.note && <p class="note deep-note" role="status">{link.note}</p>}
        <LoadStatus />
        {body}
      </main>
      <DetailsDialog />
      {drop && <div class="drop-overlay">Drop a saved lxkns discovery (JSON) to show it</div>}
    </div>
  )
}

export { getState }
