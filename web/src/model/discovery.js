// SPDX-License-Identifier: Apache-2.0
// The information model of the UI, built from the JSON document of
// GET /api/namespaces (the wire format of Go lxkns, also read from saved
// files): namespaces, processes, tasks, containers, engines, groups and
// mount tables, linked into an object graph. Plain JS, no UI: the browser
// tests import it too.

export const NS_TYPES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts']

// Processes in these cgroups are "system processes" (hidden by default as
// leaders, like Go lxkns' UI does).
const SYSTEM_CGROUPS = ['/system.slice', '/init.scope', '/user.slice']

export class DiscoveryError extends Error {}

const num = (v) => (typeof v === 'number' ? v : Number(v))

// The fields processes and tasks share.
function common(j) {
  return {
    name: j.name ?? '',
    starttime: j.starttime ?? 0,
    cpucgroup: j.cpucgroup ?? '',
    fridgecgroup: j.fridgecgroup ?? '',
    fridgefrozen: !!j.fridgefrozen,
    affinity: Array.isArray(j.affinity) ? j.affinity : null,
    policy: j.policy ?? 0,
    priority: j.priority ?? 0,
    nice: j.nice ?? 0,
    nsids: j.namespaces ?? {},
    namespaces: {},
  }
}

function task(j, proc) {
  return { tid: num(j.tid), ...common(j), process: proc }
}

// "0-3,5" style text of a CPU range list [[0,3],[5,5]].
export function cpuList(ranges) {
  if (!ranges || !ranges.length) return ''
  return ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')
}

export function cpuSet(ranges) {
  const s = new Set()
  for (const [a, b] of ranges ?? []) for (let c = a; c <= b; c++) s.add(c)
  return s
}

// Kernel threads: kthreadd (PID 2) and its children.
export function isKernelThread(proc) {
  return proc?.pid === 2 || proc?.ppid === 2
}

// System processes, hidden as leaders unless the setting shows them (Go
// lxkns' default): processes in the system cgroups, kernel threads, and
// the children of a PID 1 that could not be read (not in the discovery, or
// without namespaces).
export function isSystemProcess(proc) {
  if (!proc) return false
  if (isKernelThread(proc)) return true
  if (proc.ppid === 1 && proc.pid !== 1 && (!proc.parent || !Object.keys(proc.parent.nsids).length))
    return true
  return inSystemCgroup(proc)
}

// Only the cgroup part (the affinity view shows kernel threads, marked).
export function inSystemCgroup(proc) {
  const cg = proc?.cpucgroup ?? ''
  return SYSTEM_CGROUPS.some((p) => cg === p || cg.startsWith(p + '/'))
}

const PROC_REF = /^\/proc\/(\d+)\/(ns\/[a-z]+|fd\/\d+)$/

// How a namespace is held open when no process is in it: 'bind' (a bind
// mount, possibly reached through another mount namespace), 'fd' (an open
// file descriptor, which for a net namespace may be a socket: the wire
// format does not tell them apart), or null (it has processes or loose
// threads). A namespace with neither processes nor references is hidden
// (only known as the owner or parent of another one).
export function holding(ns) {
  if (ns.leaders.length || ns.looseThreads.length) return null
  const r = ns.reference
  if (!r.length) return null
  const last = r[r.length - 1]
  if (r.length === 1 && /^\/proc\/\d+\/fd\/\d+$/.test(last)) return 'fd'
  if (r.length === 1 && PROC_REF.test(last)) return null
  return 'bind'
}

// How many items (processes, namespaces, mount paths) the builder handles
// between two points where it may pause.
const STEP = 200

// Builds the model; throws DiscoveryError for a document that is not a
// discovery. Synchronous: buildModel() is the same builder in slices.
export function fromJSON(doc) {
  const steps = modelSteps(doc)
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}

// A message channel task: unlike setTimeout(0), not clamped to 4 ms when
// nested, and run before rendering only if the browser has nothing more
// urgent (input, a frame) queued.
export function nextTask() {
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0))
  return new Promise((resolve) => {
    const ch = new MessageChannel()
    ch.port1.onmessage = () => {
      ch.port1.close()
      resolve()
    }
    ch.port2.postMessage(null)
  })
}

// The builder of fromJSON() in slices of about sliceMs, each a task of its
// own, so that a big discovery (5000 processes: several hundred ms in one
// piece) never blocks the page for long. onProgress({ done, total,
// processes, namespaces }) is told how far it is (done of total items).
export async function buildModel(doc, { sliceMs = 12, onProgress = null } = {}) {
  const steps = modelSteps(doc)
  let start = performance.now()
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
    if (performance.now() - start >= sliceMs) {
      onProgress?.(r.value)
      await nextTask()
      start = performance.now()
    }
  }
}

// The builder: yields its progress every STEP items, returns the model.
function* modelSteps(doc) {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new DiscoveryError('not a JSON object')
  if (typeof doc.namespaces !== 'object' || doc.namespaces === null)
    throw new DiscoveryError('not an lxkns discovery: no "namespaces" object')
  if (typeof doc.processes !== 'object' || doc.processes === null)
    throw new DiscoveryError('not an lxkns discovery: no "processes" object')

  const nsList = Object.values(doc.namespaces)
  const procList = Object.values(doc.processes)
  // The work, in items: every namespace and process is visited twice
  // (made, then linked), every mount path once.
  let paths = 0
  for (const t of Object.values(doc.mounts ?? {})) paths += Object.keys(t ?? {}).length
  const total = 2 * nsList.length + 2 * procList.length + paths
  let done = 0
  const progress = () => ({ done, total, processes: procList.length, namespaces: nsList.length })

  const namespaces = new Map()
  for (const j of nsList) {
    if (++done % STEP === 0) yield progress()
    if (!j || typeof j !== 'object' || !NS_TYPES.includes(j.type))
      throw new DiscoveryError('not an lxkns discovery: a namespace without a valid type')
    const ref = Array.isArray(j.reference) ? j.reference : j.reference ? [j.reference] : []
    namespaces.set(num(j.nsid), {
      nsid: num(j.nsid),
      type: j.type,
      reference: ref,
      ownerId: j.owner,
      parentId: j.parent,
      leaderPids: j.leaders ?? [],
      looseThreadIds: j['loose-threads'] ?? [],
      ealdormanPid: j.ealdorman,
      userId: j['user-id'],
      userName: j['user-name'],
      owner: null,
      parent: null,
      children: [],
      tenants: [],
      leaders: [],
      ealdorman: null,
      looseThreads: [],
      initial: false,
    })
  }

  const processes = new Map()
  const tasks = new Map()
  for (const j of procList) {
    if (++done % STEP === 0) yield progress()
    // One object shape for every process (no deleted fields: V8 keeps
    // such objects fast).
    const p = {
      pid: num(j.pid), ppid: num(j.ppid ?? 0), ...common(j),
      cmdline: Array.isArray(j.cmdline) ? j.cmdline : [],
      tasks: [], parent: null, children: [], container: null,
    }
    processes.set(p.pid, p)
    for (const tj of j.tasks ?? []) {
      const t = task(tj, p)
      p.tasks.push(t)
      tasks.set(t.tid, t)
    }
  }
  const nsOf = (ids, target) => {
    for (const type in ids) {
      const ns = namespaces.get(num(ids[type]))
      if (ns) target[type] = ns
    }
  }
  for (const p of processes.values()) {
    if (++done % STEP === 0) yield progress()
    nsOf(p.nsids, p.namespaces)
    for (const t of p.tasks) nsOf(t.nsids, t.namespaces)
    // Without task affinity, the main task's is the process's.
    if (!p.affinity) p.affinity = p.tasks.find((t) => t.tid === p.pid)?.affinity ?? null
    const parent = processes.get(p.ppid)
    if (parent && parent !== p) {
      p.parent = parent
      parent.children.push(p)
    }
  }

  for (const ns of namespaces.values()) {
    if (++done % STEP === 0) yield progress()
    ns.owner = ns.ownerId != null ? namespaces.get(num(ns.ownerId)) ?? null : null
    if (ns.owner && ns.type !== 'user') ns.owner.tenants.push(ns)
    ns.parent = ns.parentId != null ? namespaces.get(num(ns.parentId)) ?? null : null
    if (ns.parent) ns.parent.children.push(ns)
    ns.leaders = ns.leaderPids.map((pid) => processes.get(num(pid))).filter(Boolean)
    ns.leaders.sort((a, b) => a.pid - b.pid)
    ns.ealdorman = processes.get(num(ns.ealdormanPid)) ?? ns.leaders[0] ?? null
    ns.looseThreads = ns.looseThreadIds.map((tid) => tasks.get(num(tid))).filter(Boolean)
    // The reference chain, each /proc/PID/... element with its process
    // (Go's `"/proc/2/ns/mnt" [kthreadd] » "/run/…/m1"`).
    ns.refs = ns.reference.map((path) => {
      const m = PROC_REF.exec(path)
      return { path, process: m ? processes.get(num(m[1])) ?? null : null }
    })
    ns.holding = holding(ns)
    ns.hidden = !ns.leaders.length && !ns.looseThreads.length && !ns.reference.length
    ns.processless = !ns.leaders.length && !ns.looseThreads.length
  }
  const byId = (a, b) => a.nsid - b.nsid
  for (const ns of namespaces.values()) {
    ns.children.sort(byId)
    ns.tenants.sort((a, b) => (a.type === b.type ? a.nsid - b.nsid : a.type < b.type ? -1 : 1))
  }

  // The initial namespaces: those of PID 1, else of kthreadd (PID 2).
  const initial = {}
  for (const type of NS_TYPES) {
    const ns = processes.get(1)?.namespaces[type] ?? processes.get(2)?.namespaces[type]
    if (ns) {
      ns.initial = true
      initial[type] = ns
    }
  }

  const byType = {}
  for (const type of NS_TYPES) byType[type] = []
  for (const ns of namespaces.values()) byType[ns.type].push(ns)
  for (const type of NS_TYPES) byType[type].sort(byId)

  // Containers, engines, groups.
  const engines = new Map()
  for (const [ref, j] of Object.entries(doc['container-engines'] ?? {})) {
    engines.set(String(ref), {
      ref: String(ref),
      id: j.id ?? '',
      type: j.type ?? '',
      version: j.version ?? '',
      api: j.api ?? '',
      pid: num(j.pid ?? 0),
      labels: j.labels ?? {},
      containers: [],
      parent: null,
      children: [],
    })
  }
  const groups = new Map()
  for (const [ref, j] of Object.entries(doc['container-groups'] ?? {})) {
    groups.set(String(ref), {
      ref: String(ref),
      name: j.name ?? '',
      type: j.type ?? '',
      flavor: j.flavor ?? '',
      labels: j.labels ?? {},
      containers: [],
    })
  }
  const containers = new Map()
  for (const j of Object.values(doc.containers ?? {})) {
    const c = {
      id: j.id ?? '',
      name: j.name ?? '',
      type: j.type ?? '',
      flavor: j.flavor ?? '',
      pid: num(j.pid ?? 0),
      paused: !!j.paused,
      labels: j.labels ?? {},
      engine: engines.get(String(j.engine)) ?? null,
      groups: (j.groups ?? []).map((g) => groups.get(String(g))).filter(Boolean),
      process: null,
    }
    c.process = processes.get(c.pid) ?? null
    if (c.process) c.process.container = c
    if (c.engine) c.engine.containers.push(c)
    for (const g of c.groups) g.containers.push(c)
    containers.set(c.pid, c)
  }
  // The engine hierarchy (containers in containers), from turtlefinder's
  // labels.
  for (const e of engines.values()) {
    const parentId = e.labels['turtlefinder/engine/parent-id']
    if (parentId == null) continue
    const parent = [...engines.values()].find(
      (x) => x !== e && x.labels['turtlefinder/engine/id'] === parentId,
    )
    if (parent) {
      e.parent = parent
      parent.children.push(e)
    }
  }
  for (const e of engines.values()) e.containers.sort((a, b) => displayName(a).localeCompare(displayName(b)))

  // Mount tables: one path tree per mount namespace.
  const mounts = new Map()
  for (const [mntnsid, paths] of Object.entries(doc.mounts ?? {})) {
    const byPathId = new Map()
    const all = []
    for (const [path, j] of Object.entries(paths ?? {})) {
      if (++done % STEP === 0) yield progress()
      const mp = {
        path,
        pathid: j.pathid,
        parentid: j.parentid,
        mounts: (j.mounts ?? []).map((m) => ({ ...m, mntnsid: num(mntnsid), path })),
        parent: null,
        children: [],
      }
      byPathId.set(mp.pathid, mp)
      all.push(mp)
    }
    let roots = []
    for (const mp of all) {
      const parent = mp.parentid ? byPathId.get(mp.parentid) : null
      if (parent && parent !== mp) {
        mp.parent = parent
        parent.children.push(mp)
      } else roots.push(mp)
    }
    for (const mp of all) mp.children.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    roots.sort((a, b) => a.path.length - b.path.length)
    mounts.set(num(mntnsid), { mntnsid: num(mntnsid), roots, paths: all, ns: namespaces.get(num(mntnsid)) ?? null })
  }

  const userRoots = byType.user.filter((ns) => !ns.parent)
  const pidRoots = byType.pid.filter((ns) => !ns.parent)
  return {
    namespaces,
    processes,
    tasks,
    containers,
    engines,
    groups,
    mounts,
    initial,
    byType,
    userRoots,
    pidRoots,
    cpusOnline: Array.isArray(doc['cpus-online']) ? doc['cpus-online'] : [],
    options: doc['discovery-options'] ?? {},
    count: namespaces.size,
  }
}

// The namespaces (other than user) that the leader processes of user
// namespace ns are in: what the first view folds into one line instead of
// repeating it under every owned namespace.
export function leaderNamespaces(ns) {
  const out = new Set()
  for (const p of ns.leaders)
    for (const t of NS_TYPES) if (t !== 'user' && p.namespaces[t]) out.add(p.namespaces[t])
  return out
}

// The children of user namespace ns in the first view: the owned
// namespaces its leaders share (folded), the owned ones that differ (shown
// with their references), and the ones its leaders use but another user
// namespace owns (shared).
export function userNsParts(ns) {
  const used = leaderNamespaces(ns)
  const folded = ns.tenants.filter((t) => used.has(t))
  const differing = ns.tenants.filter((t) => !used.has(t))
  const foreign = [...used].filter((t) => t.owner && t.owner !== ns)
    .sort((a, b) => (a.type === b.type ? a.nsid - b.nsid : a.type < b.type ? -1 : 1))
  return { folded, differing, foreign }
}

// The tree node ids of the "all" view expanded before any click: the
// initial user namespace (or every root), and below it the user namespaces
// without processes (hidden or bind-mounted), which have nothing else to
// show than what they own.
export function firstViewExpansion(model) {
  const ids = []
  const roots = model.initial.user ? [model.initial.user] : model.userRoots
  for (const r of roots) {
    ids.push(`u:${r.nsid}`)
    for (const c of r.children) if (c.processless) ids.push(`u:${c.nsid}`)
  }
  return ids
}

// A container's name as the UI shows it: with the enclosing container
// (turtlefinder's prefix label) as "[prefix]:name".
export function displayName(c) {
  const prefix = c.labels?.['turtlefinder/container/prefix']
  return prefix ? `[${prefix}]:${c.name}` : c.name
}

// Propagation of a mount point: peer group, master group, unbindable.
export function propagation(m) {
  const t = m.tags ?? {}
  const out = []
  if (t.shared != null) out.push(`shared:${t.shared}`)
  if (t.master != null) out.push(`master:${t.master}`)
  if (t.propagate_from != null) out.push(`propagate_from:${t.propagate_from}`)
  if ('unbindable' in t) out.push('unbindable')
  return out
}

// Peers (same shared group), masters (the group this one is a slave of)
// and slaves (mounts whose master is this one's group) of a mount point,
// across all mount namespaces.
export function propagationRelations(model, m) {
  const peers = [], masters = [], slaves = []
  const t = m.tags ?? {}
  for (const table of model.mounts.values())
    for (const mp of table.paths)
      for (const o of mp.mounts) {
        if (o === m) continue
        const ot = o.tags ?? {}
        if (t.shared != null && ot.shared === t.shared) peers.push(o)
        if (t.master != null && ot.shared === t.master) masters.push(o)
        if (t.shared != null && ot.master === t.shared) slaves.push(o)
      }
  return { peers, masters, slaves }
}

// Number of paths below a mount path.
export function descendants(mp) {
  let n = 0
  for (const c of mp.children) n += 1 + descendants(c)
  return n
}

// Items per part of splitDocument(): namespaces and processes are small, a
// mount table (one mount namespace's paths) can have hundreds of paths.
const PART = { namespaces: 250, processes: 250, mounts: 8 }

// A parsed document in parts, to be posted from a worker: the head (the
// document without its namespaces, processes and mounts) and parts of
// those ({ key, values }: namespace or process objects, [mntnsid, paths]
// entries). joinParts() puts them back together, into a document that
// fromJSON() models the same (it reads these maps' values only; mounts
// keep their keys).
export function splitDocument(doc) {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { head: doc, parts: [] }
  const head = { ...doc }
  const parts = []
  for (const key of Object.keys(PART)) {
    const v = doc[key]
    if (!v || typeof v !== 'object' || Array.isArray(v)) continue
    const values = key === 'mounts' ? Object.entries(v) : Object.values(v)
    head[key] = key === 'mounts' ? {} : []
    for (let i = 0; i < values.length; i += PART[key])
      parts.push({ key, values: values.slice(i, i + PART[key]) })
  }
  return { head, parts }
}

// Adds a part of splitDocument() to its head.
export function joinPart(head, { key, values }) {
  if (key === 'mounts') for (const [k, v] of values) head.mounts[k] = v
  else for (const v of values) head[key].push(v)
}
