// SPDX-License-Identifier: Apache-2.0
// Containers by engine: engines (nested when an engine runs inside a
// container of another one; greyed when they have no containers), their
// containers with groups (compose projects, pods) and paused state, and the
// namespaces of each container.
import { Tree, Node } from '../components/tree.jsx'
import { NsBadge, ContainerBadge, ProcessLabel, engineName } from '../components/labels.jsx'
import { BoxIcon } from '../components/icons.jsx'
import { NS_TYPES } from '../model/discovery.js'


function ContainerNode({ c }) {
  const p = c.process
  return (
    <Node id={`c:${c.pid}`} class="container-node"
      label={<>
        <ContainerBadge container={c} /> <span class="note">{c.flavor || c.type}</span>
        {p && <ProcessLabel p={p} container={false} />}
      </>}
      items={p ? () => NS_TYPES.filter((t) => p.namespaces[t]).map((t) => {
        const ns = p.namespaces[t]
        return <Node key={t} id={`c:${c.pid}:${t}`} class={ns.initial ? 'shared' : ''}
          label={<><NsBadge ns={ns} />{ns.initial && <span class="note">shared with the host</span>}</>} />
      }) : null} />
  )
}

function EngineNode({ e }) {
  const name = engineName(e.type)
  return (
    <Node id={`e:${e.ref}`} class={'engine' + (e.containers.length ? '' : ' idle')}
      title={e.containers.length ? undefined : 'no containers'}
      label={<>
        <BoxIcon class="inline" /><span class="engine-name">{name}</span> <span class="note">{e.version}</span>{' '}
        <span class="pid">({e.pid})</span> <span class="cgroup" title="API endpoint">{e.api}</span>
        <span class="count">{e.containers.length} container{e.containers.length === 1 ? '' : 's'}</span>
      </>}
      items={e.containers.length || e.children.length ? () => [
        ...e.children.map((x) => <EngineNode key={x.ref} e={x} />),
        ...e.containers.map((c) => <ContainerNode key={c.pid} c={c} />),
      ] : null} />
  )
}

export function Containers({ model, expanded }) {
  const roots = [...model.engines.values()].filter((e) => !e.parent)
  if (!roots.length && !model.containers.size)
    return (
      <p class="empty">
        No containers in this discovery. This version of the service does not discover
        containers yet; import a saved discovery that has some to see them here.
      </p>
    )
  const orphans = [...model.containers.values()].filter((c) => !c.engine)
  return (
    <Tree view="containers" expanded={expanded} label="container engines and their containers">
      {roots.map((e) => <EngineNode key={e.ref} e={e} />)}
      {orphans.map((c) => <ContainerNode key={c.pid} c={c} />)}
    </Tree>
  )
}

export function containerIds(model) {
  return [...[...model.engines.values()].map((e) => `e:${e.ref}`),
    ...[...model.containers.keys()].map((pid) => `c:${pid}`)]
}
