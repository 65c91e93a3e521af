// SPDX-License-Identifier: Apache-2.0
// All namespaces: the user namespace hierarchy; under each user namespace
// the namespaces it owns (with their leader processes grouped by cgroup),
// dimmed "shared" namespaces its processes use but another user namespace
// owns, and its child user namespaces.
import { Tree, Node } from '../components/tree.jsx'
import { NsBadge, NsSummary, OwnerLabel, leaderRows, leaderGroupIds } from '../components/labels.jsx'
import { NS_TYPES } from '../model/discovery.js'

function shared(ns) {
  const e = ns.ealdorman
  if (!e) return []
  return NS_TYPES.filter((t) => t !== 'user')
    .map((t) => e.namespaces[t])
    .filter((n) => n && n.owner && n.owner !== ns)
}

function Tenant({ ns, settings, prefix, dim }) {
  const id = `${prefix}${ns.nsid}`
  const rows = leaderRows(ns, settings.showSystem, Node, id)
  return (
    <Node id={id} class={'tenant' + (dim ? ' shared' : '')}
      title={dim ? `shared: owned by user:[${ns.owner.nsid}]` : undefined}
      label={<><NsBadge ns={ns} /> <NsSummary ns={ns} />
        {dim && <span class="note">owned by user:[{ns.owner.nsid}]</span>}</>}
      items={rows.length ? () => rows : null} />
  )
}

function UserNode({ ns, settings }) {
  const sh = settings.showShared ? shared(ns) : []
  const hasItems = ns.tenants.length || ns.children.length || sh.length || ns.leaders.length
  return (
    <Node id={`u:${ns.nsid}`} class="user-ns"
      label={<>
        <NsBadge ns={ns} /> <NsSummary ns={ns} /> <OwnerLabel ns={ns} />
        {ns.children.length > 0 && <span class="count" title="child user namespaces">children {ns.children.length}</span>}
        {ns.tenants.length > 0 && <span class="count" title="owned namespaces">owns {ns.tenants.length}</span>}
      </>}
      items={hasItems ? () => [
        ...leaderRows(ns, settings.showSystem, Node, `u:${ns.nsid}:l`),
        ...ns.tenants.map((t) => <Tenant key={t.nsid} ns={t} settings={settings} prefix="n:" />),
        ...sh.map((t) => <Tenant key={'s' + t.nsid} ns={t} settings={settings} prefix={`s:${ns.nsid}:`} dim />),
        ...ns.children.map((c) => <UserNode key={c.nsid} ns={c} settings={settings} />),
      ] : null} />
  )
}

export function AllNamespaces({ model, settings, expanded }) {
  return (
    <Tree view="all" expanded={expanded} label="user namespaces and the namespaces they own">
      {model.userRoots.map((ns) => <UserNode key={ns.nsid} ns={ns} settings={settings} />)}
    </Tree>
  )
}

export function allIds(model, settings) {
  const ids = []
  const walk = (ns) => {
    ids.push(`u:${ns.nsid}`, ...leaderGroupIds(ns, settings.showSystem, `u:${ns.nsid}:l`))
    for (const t of ns.tenants) ids.push(`n:${t.nsid}`, ...leaderGroupIds(t, settings.showSystem, `n:${t.nsid}`))
    if (settings.showShared)
      for (const t of shared(ns)) ids.push(`s:${ns.nsid}:${t.nsid}`)
    ns.children.forEach(walk)
  }
  model.userRoots.forEach(walk)
  return ids
}
