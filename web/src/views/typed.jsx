// SPDX-License-Identifier: Apache-2.0
// One namespace type: the user and PID hierarchies as trees, the other
// types as flat lists; every namespace expands to its leader processes
// grouped by cgroup (or its loose threads, or its reference). In the PID
// view every leader expands to its process tree in that PID namespace, so
// that every process has a row (deep links /pid/PID, the search).
import { Tree, Node } from '../components/tree.jsx'
import { NsBadge, NsSummary, OwnerLabel, leaderRows, leaderGroupIds } from '../components/labels.jsx'

function TypedNode({ ns, settings, hierarchical }) {
  const id = `${ns.type}:${ns.nsid}`
  const children = hierarchical ? ns.children : []
  const rows = () => [
    ...leaderRows(ns, settings.showSystem, Node, `${id}:l`,
      ns.type === 'pid' ? (p) => p.children.filter((c) => c.namespaces.pid === ns) : null),
    ...children.map((c) => <TypedNode key={c.nsid} ns={c} settings={settings} hierarchical />),
  ]
  const has = children.length || ns.leaders.length || ns.looseThreads.length || ns.reference.length
  return (
    <Node id={id} class={ns.type + '-ns'}
      label={<>
        <NsBadge ns={ns} /> <NsSummary ns={ns} /> <OwnerLabel ns={ns} />
        {ns.type !== 'user' && ns.owner && (
          <span class="note" title="owning user namespace">
            owned by user:[{ns.owner.nsid}] UID {ns.owner.userId}{ns.owner.userName ? ` ("${ns.owner.userName}")` : ''}
          </span>
        )}
        {children.length > 0 && <span class="count">children {children.length}</span>}
      </>}
      items={has ? rows : null} />
  )
}

export function TypedView({ model, settings, expanded, type }) {
  const hierarchical = type === 'user' || type === 'pid'
  const list = hierarchical ? (type === 'user' ? model.userRoots : model.pidRoots) : model.byType[type]
  if (!model.byType[type].length) return <p class="empty">No {type} namespaces in this discovery.</p>
  return (
    <Tree view={type} expanded={expanded} label={`${type} namespaces`}>
      {list.map((ns) => <TypedNode key={ns.nsid} ns={ns} settings={settings} hierarchical={hierarchical} />)}
    </Tree>
  )
}

export function typedIds(model, settings, type) {
  const ids = model.byType[type].flatMap((ns) => [
    `${type}:${ns.nsid}`,
    ...leaderGroupIds(ns, settings.showSystem, `${type}:${ns.nsid}:l`),
  ])
  if (type === 'pid')
    for (const p of model.processes.values()) {
      const ns = p.namespaces.pid
      if (ns && p.children.some((c) => c.namespaces.pid === ns)) ids.push(`pid:${ns.nsid}:l:p:${p.pid}`)
    }
  return ids
}

// The tree row of a namespace in its type's view (deep links /ns/ID).
export function nsRowId(ns) {
  return ns.type === 'mnt' ? `m:${ns.nsid}` : `${ns.type}:${ns.nsid}`
}

// The tree row of a process in the PID view (deep links /pid/PID).
export function processRowId(p) {
  const ns = p.namespaces.pid
  return ns ? `pid:${ns.nsid}:l:p:${p.pid}` : null
}
