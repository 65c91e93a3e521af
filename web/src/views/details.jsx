// SPDX-License-Identifier: Apache-2.0
// The details dialog of a namespace or a process: everything the model
// knows about it, with buttons that move the dialog to the related
// namespaces and processes, and a deep link that shows it in its tree.
// Opened by a click on a namespace badge or a process name, or with the
// "d" key on a tree row.
import { useAppState, setState, openDetails } from '../store.js'
import { Dialog } from '../components/dialog.jsx'
import { navigate } from '../router.jsx'
import { engineName } from '../components/labels.jsx'
import { groupKind } from './containers.jsx'
import { NS_TYPES, cpuList, displayName, isSystemProcess } from '../model/discovery.js'

const POLICIES = { 0: 'normal', 1: 'fifo', 2: 'rr', 3: 'batch', 5: 'idle', 6: 'deadline', 7: 'ext' }
const MAX_LIST = 200

function NsRef({ ns }) {
  if (!ns) return <span class="note">none</span>
  return (
    <button class={`ns ns-${ns.type}${ns.initial ? ' initial' : ''} ns-button`} data-nsid={ns.nsid}
      onClick={() => openDetails('ns', ns.nsid)} title={`details of ${ns.type}:[${ns.nsid}]`}>
      {ns.type}:[{ns.nsid}]
    </button>
  )
}

function ProcRef({ p }) {
  if (!p) return <span class="note">none</span>
  return (
    <button class="proc-ref" data-pid={p.pid} onClick={() => openDetails('process', p.pid)}
      title={`details of process ${p.pid}`}>
      "{p.name}" ({p.pid})
    </button>
  )
}

function List({ items, render, empty = 'none' }) {
  if (!items.length) return <span class="note">{empty}</span>
  return (
    <span class="ref-list">
      {items.slice(0, MAX_LIST).map(render)}
      {items.length > MAX_LIST && <span class="note">and {items.length - MAX_LIST} more</span>}
    </span>
  )
}

function Table({ rows }) {
  return (
    <table class="kv">
      <tbody>
        {rows.filter(Boolean).map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{v}</td></tr>)}
      </tbody>
    </table>
  )
}

function holdingText(ns) {
  if (ns.leaders.length) return `${ns.leaders.length} leader process${ns.leaders.length === 1 ? '' : 'es'}`
  if (ns.looseThreads.length) return 'loose threads only (tasks of processes in other namespaces)'
  if (ns.holding === 'bind') return 'a bind mount (no process)'
  if (ns.holding === 'fd') return ns.type === 'net' ? 'an open file descriptor or a socket (no process)' : 'an open file descriptor (no process)'
  if (ns.hidden) return 'nothing found: hidden, only known as the owner or parent of another namespace'
  return 'a reference (no process)'
}

function NsDetails({ model, ns }) {
  const procs = [...model.processes.values()].filter((p) => p.namespaces[ns.type] === ns)
  const containers = [...model.containers.values()].filter((c) => c.process?.namespaces[ns.type] === ns)
  const table = ns.type === 'mnt' ? model.mounts.get(ns.nsid) : null
  return (
    <Table rows={[
      ['type', ns.type],
      ['ID (inode)', String(ns.nsid)],
      ['initial', ns.initial ? 'yes (a namespace of PID 1)' : 'no'],
      ['held by', holdingText(ns)],
      ['references', ns.refs.length ? <span class="refchain">{ns.refs.map((r, i) => (
        <span key={i}>{i > 0 && ' » '}<code>{r.path}</code>{r.process && <> <ProcRef p={r.process} /></>}</span>
      ))}</span> : <span class="note">none</span>],
      ns.type === 'user' && ['created by', `UID ${ns.userId ?? '?'}${ns.userName ? ` ("${ns.userName}")` : ''}`],
      ns.type !== 'user' && ['owner', <NsRef ns={ns.owner} />],
      (ns.type === 'user' || ns.type === 'pid') && ['parent', <NsRef ns={ns.parent} />],
      (ns.type === 'user' || ns.type === 'pid') && ['children', <List items={ns.children} render={(c) => <NsRef key={c.nsid} ns={c} />} />],
      ns.type === 'user' && ['owns', <List items={ns.tenants} render={(t) => <NsRef key={t.nsid} ns={t} />} />],
      ['ealdorman', <ProcRef p={ns.ealdorman} />],
      ['leaders', <List items={ns.leaders} render={(p) => <ProcRef key={p.pid} p={p} />} />],
      ns.looseThreads.length > 0 && ['loose threads', <List items={ns.looseThreads} render={(t) => (
        <span key={t.tid}>task "{t.name}" [{t.tid}] of <ProcRef p={t.process} /></span>
      )} />],
      ['processes', `${procs.length}${procs.filter(isSystemProcess).length ? ` (${procs.filter(isSystemProcess).length} system processes)` : ''}`],
      containers.length > 0 && ['containers', <List items={containers} render={(c) => (
        <span key={c.pid} class="container-ref">{engineName(c.engine?.type ?? c.type)} {displayName(c)}{c.paused ? ' (paused)' : ''}</span>
      )} />],
      table && ['mount paths', `${table.paths.length}, root ${table.roots[0]?.path ?? '?'} ${table.roots[0]?.mounts.at(-1)?.fstype ?? ''}`],
    ]} />
  )
}

function ProcDetails({ model, p }) {
  const c = p.container
  return (
    <Table rows={[
      ['PID', String(p.pid)],
      ['name', p.name],
      ['command line', p.cmdline.length ? <code>{p.cmdline.join(' ')}</code> : <span class="note">none (a kernel thread, or not readable)</span>],
      ['parent', p.parent ? <ProcRef p={p.parent} /> : `PID ${p.ppid}${p.ppid ? ' (not in this discovery)' : ''}`],
      ['children', <List items={p.children} render={(k) => <ProcRef key={k.pid} p={k} />} />],
      ['start time', `${p.starttime} (clock ticks since boot)`],
      ['system process', isSystemProcess(p) ? 'yes (kernel thread, system cgroup, or child of an unreadable PID 1)' : 'no'],
      ['cpu cgroup', p.cpucgroup || <span class="note">none</span>],
      ['freezer', `${p.fridgecgroup || 'none'}${p.fridgefrozen ? ' (frozen)' : ''}`],
      ['CPU affinity', p.affinity ? cpuList(p.affinity) : <span class="note">not discovered</span>],
      ['scheduling', `${POLICIES[p.policy] ?? p.policy}${p.priority ? `, priority ${p.priority}` : ''}${p.nice ? `, nice ${p.nice}` : ''}`],
      ['namespaces', <span class="ref-list">{NS_TYPES.map((t) => p.namespaces[t] ? <NsRef key={t} ns={p.namespaces[t]} />
        : p.nsids[t] ? <span key={t} class="note">{t}:[{p.nsids[t]}] (not in the discovery)</span> : null)}</span>],
      c && ['container', <span class="container-ref">{engineName(c.engine?.type ?? c.type)} {displayName(c)} <code>{c.id}</code>
        {c.paused ? ' (paused)' : ''}{c.groups.map((g) => ` · ${groupKind(g)} ${g.name}`).join('')}</span>],
      ['tasks', <List items={p.tasks} render={(t) => {
        const loose = NS_TYPES.some((ty) => t.namespaces[ty] && t.namespaces[ty] !== p.namespaces[ty])
        return <span key={t.tid} class="task-ref">[{t.tid}] "{t.name}"{loose ? ' (loose thread)' : ''}</span>
      }} />],
    ]} />
  )
}

export function DetailsDialog() {
  const s = useAppState()
  const d = s.details
  if (!d || !s.model) return null
  const close = () => setState({ details: null })
  const show = (route) => {
    close()
    navigate(route)
  }
  if (d.kind === 'ns') {
    const ns = s.model.namespaces.get(d.id)
    if (!ns) return null
    return (
      <Dialog key={`ns${d.id}`} class="details" title={`Namespace ${ns.type}:[${ns.nsid}]`} onClose={close}>
        <NsDetails model={s.model} ns={ns} />
        <p class="dialog-actions"><button onClick={() => show(`/ns/${ns.nsid}`)}>show in the {ns.type} view</button></p>
      </Dialog>
    )
  }
  const p = s.model.processes.get(d.id)
  if (!p) return null
  return (
    <Dialog key={`p${d.id}`} class="details" title={`Process "${p.name}" (${p.pid})`} onClose={close}>
      <ProcDetails model={s.model} p={p} />
      <p class="dialog-actions"><button onClick={() => show(`/pid/${p.pid}`)}>show in the PID view</button></p>
    </Dialog>
  )
}
