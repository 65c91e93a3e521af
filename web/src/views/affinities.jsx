// SPDX-License-Identifier: Apache-2.0
// CPU affinities ("Core Fancy"): for every online CPU, the process trees
// (under kthreadd and PID 1) of the processes allowed to run there. Greyed:
// a process not allowed on that CPU that is the ancestor of one that is.
// Marked: pinned (allowed on this CPU only), realtime (FIFO/RR), kernel
// threads.
import { Tree, Node } from '../components/tree.jsx'
import { ProcessLabel } from '../components/labels.jsx'
import { PinIcon } from '../components/icons.jsx'
import { cpuSet, inSystemCgroup } from '../model/discovery.js'

function kernelThread(p) {
  return p.pid === 2 || p.parent?.pid === 2
}

// The processes shown for one CPU: those allowed there, plus their
// ancestors (off-CPU when not allowed).
function forCpu(model, cpu, showSystem) {
  const allowed = new Set()
  for (const p of model.processes.values()) {
    if (!p.affinity || (!showSystem && inSystemCgroup(p) && p.pid > 2)) continue
    if (cpuSet(p.affinity).has(cpu)) allowed.add(p)
  }
  const shown = new Set()
  for (const p of allowed) for (let q = p; q && !shown.has(q); q = q.parent) shown.add(q)
  return { allowed, shown }
}

function ProcNode({ p, cpu, sets }) {
  const kids = p.children.filter((c) => sets.shown.has(c))
  const on = sets.allowed.has(p)
  const pinned = on && p.affinity && cpuSet(p.affinity).size === 1
  return (
    <Node id={`cpu:${cpu}:p:${p.pid}`} class={(on ? '' : 'off-cpu ') + (kernelThread(p) ? 'kthread' : '')}
      title={on ? undefined : 'not allowed on this CPU'}
      label={<>
        {pinned && <span class="pinned" title="pinned to this CPU"><PinIcon class="inline" /></span>}
        {kernelThread(p) && <span class="kernel" title="kernel thread">kernel</span>}
        <ProcessLabel p={p} affinity />
      </>}
      items={kids.length ? () => kids.map((c) => <ProcNode key={c.pid} p={c} cpu={cpu} sets={sets} />) : null} />
  )
}

function CpuNode({ model, cpu, settings }) {
  const sets = forCpu(model, cpu, settings.showSystem)
  const roots = [...sets.shown].filter((p) => !p.parent || !sets.shown.has(p.parent)).sort((a, b) => b.pid === 2 ? 1 : a.pid - b.pid)
  return (
    <Node id={`cpu:${cpu}`} class="cpu"
      label={<><span class="cpu-name">CPU {cpu}</span> <span class="count">{sets.allowed.size} processes allowed</span></>}
      items={roots.length ? () => roots.map((p) => <ProcNode key={p.pid} p={p} cpu={cpu} sets={sets} />) : null} />
  )
}

export function Affinities({ model, settings, expanded }) {
  const cpus = [...cpuSet(model.cpusOnline)].sort((a, b) => a - b)
  if (!cpus.length)
    return <p class="empty">This discovery has no CPU affinities (discovered without affinity).</p>
  return (
    <Tree view="affinities" expanded={expanded} label="online CPUs and the processes allowed on them">
      {cpus.map((cpu) => <CpuNode key={cpu} model={model} cpu={cpu} settings={settings} />)}
    </Tree>
  )
}

export function affinityIds(model, settings) {
  const ids = []
  for (const cpu of cpuSet(model.cpusOnline)) {
    ids.push(`cpu:${cpu}`)
    const { shown } = forCpu(model, cpu, settings.showSystem)
    for (const p of shown) if (p.children.some((c) => shown.has(c))) ids.push(`cpu:${cpu}:p:${p.pid}`)
  }
  return ids
}
