// SPDX-License-Identifier: Apache-2.0
// Mount namespaces and their mount path trees: per path its mount points
// (several when mounts are stacked), read-only, filesystem type, source,
// propagation (shared/master/unbindable), hidden and overmounted marks, and
// a details dialog that resolves propagation peers, masters and slaves to
// mount namespaces and paths. Process-less (bind-mounted) mount namespaces
// are included.
import { useState } from 'preact/hooks'
import { Tree, Node } from '../components/tree.jsx'
import { NsBadge, NsSummary } from '../components/labels.jsx'
import { Dialog } from '../components/dialog.jsx'
import { propagation, propagationRelations, descendants } from '../model/discovery.js'

function relPath(mp) {
  if (!mp.parent) return mp.path
  const pp = mp.parent.path === '/' ? '/' : mp.parent.path + '/'
  return mp.path.startsWith(pp) ? mp.path.slice(pp.length) : mp.path
}

function MountPoint({ m, overmounted, onDetails }) {
  const ro = m.mountoptions?.includes('ro')
  return (
    <span class={'mount' + (m.hidden ? ' hidden' : '')}>
      {ro && <span class="ro" title="read-only">ro</span>}
      <span class="fstype">{m.fstype}</span> <span class="source" title="source">{m.source}</span>
      {propagation(m).map((p) => <span key={p} class="prop" title="propagation">{p}</span>)}
      {overmounted ? <span class="mark hidden-mark" title="another mount sits on top of it, at the same path">overmounted</span>
        : m.hidden && <span class="mark hidden-mark" title="hidden by a mount on a path above it">hidden</span>}
      <button class="details" title="mount details" aria-label={`details of mount ${m.mountid}`}
        onClick={() => onDetails(m)}>⋯</button>
    </span>
  )
}

function PathNode({ mp, mntns, onDetails }) {
  const n = descendants(mp)
  return (
    <Node id={`mp:${mntns}:${mp.pathid}`} class="mountpath"
      label={<>
        <span class="path" title={mp.path} data-search={mp.path}>{relPath(mp)}</span>
        {n > 0 && <span class="count" title="paths below">{n}</span>}
        {mp.mounts.map((m, i) => (
          <MountPoint key={m.mountid} m={m} overmounted={i < mp.mounts.length - 1} onDetails={onDetails} />
        ))}
      </>}
      items={mp.children.length ? () => mp.children.map((c) => (
        <PathNode key={c.pathid} mp={c} mntns={mntns} onDetails={onDetails} />
      )) : null} />
  )
}

// The mount tree's root in the namespace's row (as Go shows it): path,
// filesystem type of the visible mount, paths below, overmount and hidden
// marks.
function RootSummary({ mp }) {
  const top = mp.mounts[mp.mounts.length - 1]
  if (!top) return null
  const n = descendants(mp)
  return (
    <span class="mnt-root" title="the root of the mount tree">
      <span class="path">{mp.path}</span> <span class="fstype">{top.fstype}</span>
      {n > 0 && <span class="count" title="paths below the root">{n} below</span>}
      {mp.mounts.length > 1 && <span class="mark hidden-mark" title="mounts stacked at the root">overmounted ×{mp.mounts.length - 1}</span>}
      {top.hidden && <span class="mark hidden-mark" title="hidden by another mount">hidden</span>}
    </span>
  )
}

function where(model, m) {
  const ns = model.namespaces.get(m.mntnsid)
  return `mnt:[${m.mntnsid}]${ns?.ealdorman ? ` ("${ns.ealdorman.name}" (${ns.ealdorman.pid}))` : ''} ${m.path} (mount ${m.mountid})`
}

function Details({ model, m, onClose }) {
  const rel = propagationRelations(model, m)
  const rows = [
    ['mount ID', m.mountid], ['parent mount ID', m.parentid], ['device', `${m.major}:${m.minor}`],
    ['root', m.root], ['mount point', m.mountpoint], ['filesystem', m.fstype], ['source', m.source],
    ['options', (m.mountoptions ?? []).join(', ')], ['superblock options', m.superoptions],
    ['tags', Object.entries(m.tags ?? {}).map(([k, v]) => (v === '' ? k : `${k}:${v}`)).join(', ') || 'none'],
    ['hidden', m.hidden ? 'yes' : 'no'],
  ]
  return (
    <Dialog title={`Mount ${m.mountid}: ${m.mountpoint}`} onClose={onClose}>
      <table class="kv">
        <tbody>
          {rows.map(([k, v]) => <tr key={k}><th>{k}</th><td>{String(v ?? '')}</td></tr>)}
        </tbody>
      </table>
      {[['Peers (same shared group)', rel.peers], ['Masters (propagating into this one)', rel.masters],
        ['Slaves (receiving from this one)', rel.slaves]].map(([title, list]) => (
        <section key={title} class="relations">
          <h3>{title}</h3>
          {list.length ? <ul>{list.map((o) => <li key={o.mntnsid + ':' + o.mountid}>{where(model, o)}</li>)}</ul>
            : <p class="note">none</p>}
        </section>
      ))}
    </Dialog>
  )
}

export function Mounts({ model, settings, expanded }) {
  const [details, setDetails] = useState(null)
  const list = model.byType.mnt
  if (!list.length) return <p class="empty">No mount namespaces in this discovery.</p>
  return (
    <>
      {!model.mounts.size && (
        <p class="empty">This discovery has no mount tables (discovered without mounts).</p>
      )}
      <Tree view="mnt" expanded={expanded} label="mount namespaces and their mount paths">
        {list.map((ns) => {
          const table = model.mounts.get(ns.nsid)
          return (
            <Node key={ns.nsid} id={`m:${ns.nsid}`} class="mnt-ns"
              label={<><NsBadge ns={ns} /> <NsSummary ns={ns} />
                {table && <span class="count" title="mount paths">{table.paths.length} path{table.paths.length === 1 ? '' : 's'}</span>}
                {table?.roots[0] && <RootSummary mp={table.roots[0]} />}</>}
              items={table ? () => table.roots.map((mp) => (
                <PathNode key={mp.pathid} mp={mp} mntns={ns.nsid} onDetails={setDetails} />
              )) : null} />
          )
        })}
      </Tree>
      {details && <Details model={model} m={details} onClose={() => setDetails(null)} />}
    </>
  )
}

export function mountIds(model) {
  const ids = []
  for (const [nsid, table] of model.mounts) {
    ids.push(`m:${nsid}`)
    for (const mp of table.paths) if (mp.children.length) ids.push(`mp:${nsid}:${mp.pathid}`)
  }
  return ids
}
