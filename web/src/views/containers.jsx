// SPDX-License-Identifier: Apache-2.0
// Containers by engine: first a line that says what the discovery found
// (engines, containers, paused ones, or that no engine was found); then
// the engines (nested when an engine runs inside a container of another
// one; greyed when they have no containers), under each its groups
// (compose projects, Kubernetes pods) with their containers, then the
// containers in no group; paused state on containers and counted on
// groups and engines; each container expands to its namespaces.
import { Tree, Node } from '../components/tree.jsx'
import { NsBadge, ContainerBadge, ProcessLabel, Mark, engineName } from '../components/labels.jsx'
import { BoxIcon, PauseIcon, LayersIcon } from '../components/icons.jsx'
import { NS_TYPES, displayName } from '../model/discovery.js'

const plural = (n, one, many = one + 's') => `${n} ${n === 1 ? one : many}`

export const groupKind = (g) => (g.type === 'io.kubernetes.pod' ? 'pod' : g.type === 'com.docker.compose.project' ? 'compose project' : g.type)

function ContainerNode({ c, prefix }) {
  const p = c.process
  return (
    <Node id={`${prefix}c:${c.pid}`} class="container-node"
      label={<>
        <ContainerBadge container={c} /> <span class="note">{c.flavor || c.type}</span>
        {p && <ProcessLabel p={p} container={false} />}
      </>}
      items={p ? () => NS_TYPES.filter((t) => p.namespaces[t]).map((t) => {
        const ns = p.namespaces[t]
        return <Node key={t} id={`${prefix}c:${c.pid}:${t}`} class={ns.initial ? 'shared' : ''}
          label={<><NsBadge ns={ns} />{ns.initial && <span class="note">shared with the host</span>}</>} />
      }) : null} />
  )
}

function Paused({ list }) {
  const n = list.filter((c) => c.paused).length
  return n ? <Mark kind="paused" icon={PauseIcon} text={`${n} paused`} title="paused containers" /> : null
}

function GroupNode({ e, g, list }) {
  return (
    <Node id={`g:${e.ref}:${g.ref}`} class="group-node"
      label={<>
        <LayersIcon class="inline" /><span class="group-kind">{groupKind(g)}</span>
        <span class="group-name" data-search={g.name}>{g.name}</span>
        <span class="count">{plural(list.length, 'container')}</span><Paused list={list} />
      </>}
      items={() => list.map((c) => <ContainerNode key={c.pid} c={c} prefix={`g:${g.ref}:`} />)} />
  )
}

// The groups of an engine's containers (a container in several groups is
// listed under its first), and the containers in none.
function grouped(e) {
  const groups = new Map()
  const loose = []
  for (const c of e.containers) {
    const g = c.groups[0]
    if (!g) loose.push(c)
    else groups.set(g, [...(groups.get(g) ?? []), c])
  }
  return {
    groups: [...groups].sort(([a], [b]) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type < b.type ? -1 : 1)),
    loose,
  }
}

function EngineNode({ e }) {
  const name = engineName(e.type)
  const { groups, loose } = grouped(e)
  return (
    <Node id={`e:${e.ref}`} class={'engine' + (e.containers.length ? '' : ' idle')}
      title={e.containers.length ? undefined : 'no containers'}
      label={<>
        <BoxIcon class="inline" /><span class="engine-name">{name}</span> <span class="note">{e.version}</span>{' '}
        <span class="pid">({e.pid})</span> <span class="cgroup" title="API endpoint">{e.api}</span>
        <span class="count">{plural(e.containers.length, 'container')}</span><Paused list={e.containers} />
        {groups.length > 0 && <span class="count">{plural(groups.length, 'group')}</span>}
      </>}
      items={e.containers.length || e.children.length ? () => [
        ...e.children.map((x) => <EngineNode key={x.ref} e={x} />),
        ...groups.map(([g, list]) => <GroupNode key={g.ref} e={e} g={g} list={list} />),
        ...loose.map((c) => <ContainerNode key={c.pid} c={c} prefix="" />),
      ] : null} />
  )
}

// What the discovery found, in one sentence.
export function containerSummary(model) {
  const engines = [...model.engines.values()]
  const all = [...model.containers.values()]
  if (!engines.length && !all.length)
    return 'No container engine was found in this discovery (the service looks for Docker, containerd, ' +
      'CRI-O and Podman through their API sockets; a discovery made with --no-containers or ' +
      'containers=off has none either).'
  const byType = new Map()
  for (const e of engines) byType.set(engineName(e.type), (byType.get(engineName(e.type)) ?? 0) + 1)
  const names = [...byType].map(([n, k]) => (k > 1 ? `${k} × ${n}` : n)).join(', ')
  const paused = all.filter((c) => c.paused).length
  const orphans = all.filter((c) => !c.engine).length
  return `${plural(engines.length, 'container engine')}${engines.length ? ` (${names})` : ''} with ` +
    `${plural(all.length, 'container')}${paused ? `, ${paused} paused` : ''}` +
    `${model.groups.size ? ` in ${plural(model.groups.size, 'group')}` : ''}` +
    `${orphans ? `; ${plural(orphans, 'container')} without a known engine` : ''}.`
}

export function Containers({ model, expanded }) {
  const roots = [...model.engines.values()].filter((e) => !e.parent)
  const orphans = [...model.containers.values()].filter((c) => !c.engine)
    .sort((a, b) => displayName(a).localeCompare(displayName(b)))
  const none = !model.engines.size && !model.containers.size
  const summary = <p class={'found' + (none ? ' empty' : '')} data-testid="containers-found">{containerSummary(model)}</p>
  if (!roots.length && !orphans.length) return summary
  return (
    <>
      {summary}
      <Tree view="containers" expanded={expanded} label="container engines and their containers">
        {roots.map((e) => <EngineNode key={e.ref} e={e} />)}
        {orphans.map((c) => <ContainerNode key={c.pid} c={c} prefix="" />)}
      </Tree>
    </>
  )
}

export function containerIds(model) {
  const ids = []
  for (const e of model.engines.values()) {
    ids.push(`e:${e.ref}`)
    for (const [g] of grouped(e).groups) ids.push(`g:${e.ref}:${g.ref}`)
  }
  for (const c of model.containers.values()) {
    const g = c.engine && c.groups[0]
    ids.push(g ? `g:${g.ref}:c:${c.pid}` : `c:${c.pid}`)
  }
  return ids
}
