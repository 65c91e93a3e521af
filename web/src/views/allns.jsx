// SPDX-License-Identifier: Apache-2.0
// All namespaces: the user namespace hierarchy, told the way Go lxkns' first
// view tells it. Under each user namespace: its leader processes once (system
// processes only when the setting shows them); one folded line with the
// namespaces it owns that its leaders share (instead of repeating the
// leaders under each of them); the owned namespaces that differ, each with
// what holds it (leaders, a loose thread, a bind-mount chain or an fd);
// the namespaces its leaders use that another user namespace owns (shared,
// muted); and its child user namespaces (hidden ones with a ghost). The
// initial user namespace starts expanded (see firstViewExpansion()).
import { Tree, Node } from '../components/tree.jsx'
import {
  NsBadge, NsSummary, OwnerLabel, ProcessLabel, leaderRows, leaderGroupIds,
} from '../components/labels.jsx'
import { LayersIcon } from '../components/icons.jsx'
import { Link } from '../router.jsx'
import { isSystemProcess, userNsParts } from '../model/discovery.js'

function Tenant({ ns, settings, prefix, dim }) {
  const id = `${prefix}${ns.nsid}`
  const rows = leaderRows(ns, settings.showSystem, Node, id)
  return (
    <Node id={id} class={'tenant' + (dim ? ' shared' : '') + (ns.holding ? ' held' : '')}
      title={dim ? `shared: owned by user:[${ns.owner.nsid}]` : undefined}
      label={<><NsBadge ns={ns} /> <NsSummary ns={ns} />
        {dim && <span class="note">owned by user:[{ns.owner.nsid}]</span>}</>}
      items={rows.length ? () => rows : null} />
  )
}

// The leader processes of a user namespace, once, as leaves.
function leaderLeaves(ns, settings) {
  const shown = settings.showSystem ? ns.leaders : ns.leaders.filter((p) => !isSystemProcess(p))
  const rows = shown.map((p) => (
    <Node key={'p' + p.pid} id={`u:${ns.nsid}:p:${p.pid}`} class="leader"
      label={<ProcessLabel p={p} affinity role={p === ns.ealdorman ? 'ealdorman' : 'leader'} />} />
  ))
  const hidden = ns.leaders.length - shown.length
  if (hidden > 0)
    rows.push(
      <Node key="sys" id={`u:${ns.nsid}:sys`} class="system-note"
        label={<span class="note">{hidden} system process{hidden === 1 ? '' : 'es'} not shown
          (kernel threads, system cgroups; see <Link to="/settings">Settings</Link>)</span>} />,
    )
  return rows
}

function Folded({ ns, folded }) {
  return (
    <Node id={`u:${ns.nsid}:folded`} class="folded"
      title="namespaces owned by this user namespace that its leader processes are in: shown once"
      label={<>
        <span class="fold-title"><LayersIcon class="inline" />the leaders' namespaces:</span>
        {folded.map((t) => <NsBadge key={t.nsid} ns={t} />)}
      </>} />
  )
}

function UserNode({ ns, settings }) {
  const { folded, differing, foreign } = userNsParts(ns)
  const sh = settings.showShared ? foreign : []
  const hasItems = ns.tenants.length || ns.children.length || sh.length || ns.leaders.length
  return (
    <Node id={`u:${ns.nsid}`} class={'user-ns' + (ns.hidden ? ' hidden-user' : '')}
      label={<>
        <NsBadge ns={ns} /> <NsSummary ns={ns} /> <OwnerLabel ns={ns} />
        {ns.children.length > 0 && <span class="count" title="child user namespaces">children {ns.children.length}</span>}
        {ns.tenants.length > 0 && <span class="count" title="owned namespaces">owns {ns.tenants.length}</span>}
      </>}
      items={hasItems ? () => [
        ...leaderLeaves(ns, settings),
        ...(folded.length ? [<Folded key="folded" ns={ns} folded={folded} />] : []),
        ...differing.map((t) => <Tenant key={t.nsid} ns={t} settings={settings} prefix="n:" />),
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
    ids.push(`u:${ns.nsid}`)
    const { differing, foreign } = userNsParts(ns)
    for (const t of differing) ids.push(`n:${t.nsid}`, ...leaderGroupIds(t, settings.showSystem, `n:${t.nsid}`))
    if (settings.showShared)
      for (const t of foreign) ids.push(`s:${ns.nsid}:${t.nsid}`, ...leaderGroupIds(t, settings.showSystem, `s:${ns.nsid}:${t.nsid}`))
    ns.children.forEach(walk)
  }
  model.userRoots.forEach(walk)
  return ids
}
