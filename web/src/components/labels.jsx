// SPDX-License-Identifier: Apache-2.0
// How namespaces, processes, tasks and containers are labelled everywhere.
import { displayName, isSystemProcess, cpuList } from '../model/discovery.js'
import { openDetails } from '../store.js'
import {
  PauseIcon, BoltIcon, TYPE_ICONS, CrownIcon, FlagIcon, LinkIcon, FileIcon, GhostIcon, ThreadIcon,
  SnowIcon, BoxIcon,
} from './icons.jsx'

const ENGINE_NAMES = {
  'docker.com': 'Docker', 'containerd.io': 'containerd', 'k8s.io/cri-api': 'CRI',
  'cri-o.io': 'CRI-O', 'podman.io': 'Podman',
}
export const engineName = (type) => ENGINE_NAMES[type] ?? type

const POLICIES = { 0: 'normal', 1: 'fifo', 2: 'rr', 3: 'batch', 5: 'idle', 6: 'deadline', 7: 'ext' }

// A namespace: its type's icon and colour (the CLI themes' colours), its
// ID; dashed when initial. A button that opens its details (out of the tab
// order: in a tree, the "d" key opens the details of the row's subject).
export function NsBadge({ ns }) {
  const Icon = TYPE_ICONS[ns.type]
  return (
    <button class={`ns ns-${ns.type}${ns.initial ? ' initial' : ''}`} data-nsid={ns.nsid} tabIndex={-1}
      title={`${ns.type} namespace ${ns.nsid}${ns.initial ? ' (initial)' : ''}: details`}
      onClick={() => openDetails('ns', ns.nsid)}>
      {Icon && <Icon class="inline" />}{ns.type}:[{ns.nsid}]
    </button>
  )
}

// A small mark with an icon and a word (the word keeps it readable without
// colour and for screen readers).
export function Mark({ kind, icon: Icon, text, title }) {
  return (
    <span class={`mark mark-${kind}`} title={title ?? text}>
      {Icon && <Icon class="inline" />}{text}
    </span>
  )
}

export function ContainerBadge({ container: c }) {
  const groups = c.groups ?? []
  return (
    <span class={'container' + (c.paused ? ' paused' : '')}
      title={`${engineName(c.type)} container ${c.id}${c.paused ? ' (paused)' : ''}`}>
      <BoxIcon class="inline" />
      <span class="engine-tag">{engineName(c.engine?.type ?? c.type)}</span>
      {displayName(c)}
      {c.paused && <Mark kind="paused" icon={PauseIcon} text="paused" />}
      {groups.map((g) => (
        <span key={g.ref} class="group" title={g.type}>
          {g.type === 'io.kubernetes.pod' ? 'pod' : 'project'} {g.name}
        </span>
      ))}
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

// role: 'ealdorman' (the most senior leader of a namespace) or 'leader'
// marks the process.
export function ProcessLabel({ p, cgroup = true, affinity = false, role = null, container = true }) {
  return (
    <span class={'process' + (isSystemProcess(p) ? ' system' : '')} data-pid={p.pid}>
      {role === 'ealdorman' && <Mark kind="ealdorman" icon={CrownIcon} text="ealdorman"
        title="ealdorman: the most senior leader process" />}
      {role === 'leader' && <Mark kind="leader" icon={FlagIcon} text="leader"
        title="leader: the topmost process in this namespace" />}
      {container && p.container && <ContainerBadge container={p.container} />}
      <button class="proc-link" tabIndex={-1} title={`process ${p.pid}: details`}
        onClick={() => openDetails('process', p.pid)}>
        <span class="pname">"{p.name}"</span> <span class="pid">({p.pid})</span>
      </button>
      {p.fridgefrozen && (
        <span class="frozen" title={`frozen (${p.fridgecgroup})`}>
          <SnowIcon class="inline" />frozen
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
      <Mark kind="loose" icon={ThreadIcon} text="loose thread"
        title="loose thread: a task in another namespace than its process" />
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

// A reference chain: `"/proc/2/ns/mnt" [kthreadd] » "/run/…/m1"`.
export function RefChain({ ns }) {
  return (
    <span class="refchain">
      {ns.refs.map((r, i) => (
        <span key={i} class="refpart">
          {i > 0 && <span class="sep" aria-hidden="true"> » </span>}
          <span class="path">"{r.path}"</span>
          {r.process && <span class="pname-ref"> [{r.process.name}]</span>}
        </span>
      ))}
    </span>
  )
}

// The marks of a process-less namespace: bind-mounted, fd-held, hidden.
export function HoldMark({ ns }) {
  if (ns.holding === 'bind')
    return <Mark kind="bind" icon={LinkIcon} text="bind-mounted" title="held by a bind mount" />
  if (ns.holding === 'fd')
    return <Mark kind="fd" icon={FileIcon} text={ns.type === 'net' ? 'fd/socket-held' : 'fd-held'}
      title={ns.type === 'net' ? 'held by an open file descriptor or a socket' : 'held by an open file descriptor'} />
  if (ns.hidden)
    return <Mark kind="hidden" icon={GhostIcon} text="hidden"
      title="hidden: no process, no reference; only known as the owner or parent of another namespace" />
  return null
}

// What holds a namespace open, in one line: its most senior process, or a
// loose thread, or the fd or bind mount that references it.
export function NsSummary({ ns }) {
  const first = ns.ealdorman
  if (first)
    return (
      <span class="summary">
        <ProcessLabel p={first} role={ns.leaders.length > 1 ? 'ealdorman' : null} />
        {ns.leaders.length > 1 && <span class="more" title="more leader processes">+{ns.leaders.length - 1}</span>}
      </span>
    )
  if (ns.looseThreads.length) return <span class="summary"><TaskLabel t={ns.looseThreads[0]} /></span>
  if (ns.holding)
    return <span class="summary ref"><HoldMark ns={ns} /> <RefChain ns={ns} /></span>
  if (ns.reference.length) return <span class="summary ref"><RefChain ns={ns} /></span>
  return <span class="summary"><HoldMark ns={ns} /></span>
}

// A process row; with childrenOf (the PID view: the process's children in
// the same PID namespace), the process tree below it.
function procNode(Node, prefix, p, showSystem, childrenOf, leader = true) {
  const kids = childrenOf ? childrenOf(p).filter((c) => showSystem || !isSystemProcess(c)) : []
  return <Node key={p.pid} id={`${prefix}:p:${p.pid}`} class={leader ? 'leader-proc' : 'child-proc'}
    label={<ProcessLabel p={p} cgroup={!leader} affinity role={leader ? 'leader' : null} />}
    items={kids.length ? () => kids.map((c) => procNode(Node, prefix, c, showSystem, childrenOf, false)) : null} />
}

// Leader processes grouped by cpu cgroup, as child rows of a namespace.
export function leaderRows(ns, showSystem, Node, prefix, childrenOf = null) {
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
        items={() => procs.map((p) => procNode(Node, prefix, p, showSystem, childrenOf))} />,
    )
  for (const t of ns.looseThreads)
    rows.push(<Node key={'t' + t.tid} id={`${prefix}:t:${t.tid}`} label={<TaskLabel t={t} />} />)
  if (!ns.leaders.length && ns.reference.length)
    rows.push(<Node key="ref" id={`${prefix}:ref`} label={<span class="ref">reference: <RefChain ns={ns} /></span>} />)
  return rows
}

// The ids of the cgroup groups leaderRows() makes expandable.
export function leaderGroupIds(ns, showSystem, prefix) {
  const leaders = showSystem ? ns.leaders : ns.leaders.filter((p) => !isSystemProcess(p))
  return [...new Set(leaders.map((p) => `${prefix}:cg:${p.cpucgroup}`))]
}
