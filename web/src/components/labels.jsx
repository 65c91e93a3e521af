// SPDX-License-Identifier: Apache-2.0
// How namespaces, processes, tasks and containers are labelled everywhere.
import { displayName, isSystemProcess, cpuList } from '../model/discovery.js'
import { PauseIcon, BoltIcon } from './icons.jsx'

const POLICIES = { 0: 'normal', 1: 'fifo', 2: 'rr', 3: 'batch', 5: 'idle', 6: 'deadline', 7: 'ext' }

export function NsBadge({ ns }) {
  return (
    <span class={`ns ns-${ns.type}${ns.initial ? ' initial' : ''}`}
      title={`${ns.type} namespace ${ns.nsid}${ns.initial ? ' (initial)' : ''}`}>
      {ns.type}:[{ns.nsid}]
    </span>
  )
}

export function ContainerBadge({ container: c }) {
  return (
    <span class={'container' + (c.paused ? ' paused' : '')} title={`${c.type} container ${c.id}`}>
      {c.paused && <PauseIcon class="inline" title="paused" />}
      {displayName(c)}
    </span>
  )
}

export function Scheduling({ p }) {
  const rt = p.policy === 1 || p.policy === 2
  return (
    <>
      {rt && (
        <span class="sched rt" title={`realtime: ${POLICIES[p.policy]} priority ${p.priority}`}>
          <BoltIcon class="inline" />
          {POLICIES[p.policy]}:{p.priority}
        </span>
      )}
      {p.nice ? <span class="sched" title="nice">nice {p.nice}</span> : null}
    </>
  )
}

export function ProcessLabel({ p, cgroup = true, affinity = false }) {
  return (
    <span class={'process' + (isSystemProcess(p) ? ' system' : '')}>
      {p.container && <ContainerBadge container={p.container} />}
      <span class="pname">"{p.name}"</span> <span class="pid">({p.pid})</span>
      {p.fridgefrozen && (
        <span class="frozen" title={`frozen (${p.fridgecgroup})`}>
          <PauseIcon class="inline" />frozen
        </span>
      )}
      <Scheduling p={p} />
      {affinity && p.affinity && <span class="affinity" title="CPU affinity">cpus {cpuList(p.affinity)}</span>}
      {cgroup && p.cpucgroup && <span class="cgroup" title="cpu cgroup">{p.cpucgroup}</span>}
    </span>
  )
}

export function TaskLabel({ t }) {
  return (
    <span class="task">
      task <span class="pname">"{t.name}"</span> <span class="pid">[{t.tid}]</span> of{' '}
      <ProcessLabel p={t.process} cgroup={false} />
    </span>
  )
}

export function OwnerLabel({ ns }) {
  if (ns.type !== 'user') return null
  return (
    <span class="owner" title="created by">
      UID {ns.userId ?? '?'}
      {ns.userName ? ` ("${ns.userName}")` : ''}
    </span>
  )
}

// What holds a namespace open, in one line: its most senior process, or a
// loose thread, or the fd or bind mount that references it.
export function NsSummary({ ns }) {
  const first = ns.ealdorman
  if (first)
    return (
      <span class="summary">
        <ProcessLabel p={first} />
        {ns.leaders.length > 1 && <span class="more" title="more leader processes">+{ns.leaders.length - 1}</span>}
      </span>
    )
  if (ns.looseThreads.length) return <span class="summary"><TaskLabel t={ns.looseThreads[0]} /></span>
  if (ns.reference.length > 1)
    return <span class="summary ref">bind-mounted at "{ns.reference.join('»')}"</span>
  if (ns.reference.length === 1)
    return <span class="summary ref">referenced from "{ns.reference[0]}"</span>
  return <span class="summary hidden-ns" title="only known as the parent or owner of another namespace">hidden</span>
}

// Leader processes grouped by cpu cgroup, as child rows of a namespace.
export function leaderRows(ns, showSystem, Node, prefix) {
  const leaders = showSystem ? ns.leaders : ns.leaders.filter((p) => !isSystemProcess(p))
  const groups = new Map()
  for (const p of leaders) {
    const g = groups.get(p.cpucgroup) ?? []
    g.push(p)
    groups.set(p.cpucgroup, g)
  }
  const rows = []
  for (const [cg, procs] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    rows.push(
      <Node id={`${prefix}:cg:${cg}`} key={cg} class="cgroup-group"
        label={<span class="cgroup" title="cpu cgroup">{cg || '(no cgroup)'}</span>}
        items={() => procs.map((p) => <Node key={p.pid} id={`${prefix}:p:${p.pid}`} label={<ProcessLabel p={p} cgroup={false} affinity />} />)} />,
    )
  for (const t of ns.looseThreads)
    rows.push(<Node key={'t' + t.tid} id={`${prefix}:t:${t.tid}`} label={<TaskLabel t={t} />} />)
  if (!ns.leaders.length && ns.reference.length)
    rows.push(<Node key="ref" id={`${prefix}:ref`} label={<span class="ref">reference: {ns.reference.join(' » ')}</span>} />)
  return rows
}

// The ids of the cgroup groups leaderRows() makes expandable.
export function leaderGroupIds(ns, showSystem, prefix) {
  const leaders = showSystem ? ns.leaders : ns.leaders.filter((p) => !isSystemProcess(p))
  return [...new Set(leaders.map((p) => `${prefix}:cg:${p.cpucgroup}`))]
}
