// SPDX-License-Identifier: Apache-2.0
// The namespace graph (not in Go lxkns): the user namespace hierarchy and
// the PID namespace hierarchy side by side, with dashed edges from every
// PID namespace to the user namespace that owns it; optionally the other
// namespaces each user namespace owns. Drag to pan, wheel to zoom, click a
// node for its details.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { NsBadge, NsSummary, OwnerLabel } from '../components/labels.jsx'

const W = 200, H = 40, DX = 250, DY = 52
const OTHER = ['mnt', 'net', 'uts', 'ipc', 'cgroup', 'time']

// Leaf-order layout of a forest: leaves get consecutive rows, a parent sits
// in the middle of its children. Returns the next free row.
function layout(roots, kids, x0, row, pos) {
  const place = (n, depth) => {
    const cs = kids(n)
    let y
    if (!cs.length) y = row++
    else {
      const ys = cs.map((c) => place(c, depth + 1))
      y = (ys[0] + ys[ys.length - 1]) / 2
    }
    pos.set(n, { x: x0 + depth * DX, y: y * DY })
    return y
  }
  roots.forEach((r) => place(r, 0))
  return row
}

function depthOf(roots, kids) {
  let d = 0
  const walk = (n, k) => {
    d = Math.max(d, k)
    kids(n).forEach((c) => walk(c, k + 1))
  }
  roots.forEach((r) => walk(r, 1))
  return d
}

function build(model, others) {
  const pos = new Map()
  const userKids = (n) => (n.type === 'user' ? [...n.children, ...n.tenants.filter((t) => others.has(t.type))] : [])
  const rows = layout(model.userRoots, userKids, 0, 0, pos)
  const userDepth = depthOf(model.userRoots, userKids)
  layout(model.pidRoots, (n) => n.children, (userDepth + 0.6) * DX, 0, pos)
  const edges = []
  for (const n of pos.keys()) {
    if (n.parent && pos.has(n.parent)) edges.push({ from: n.parent, to: n, kind: 'parent' })
    if (n.type !== 'user' && n.owner && pos.has(n.owner))
      edges.push({ from: n.owner, to: n, kind: n.type === 'pid' ? 'owner' : 'owns' })
  }
  return { pos, edges, rows }
}

function path(a, b) {
  const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2
  if (x2 <= x1) {
    // owner edges may run right to left: loop around the boxes
    const xa = a.x + W / 2, xb = b.x + W / 2
    return `M${xa},${a.y + H} C${xa},${a.y + H + 40} ${xb},${b.y + H + 40} ${xb},${b.y + H}`
  }
  const mx = (x1 + x2) / 2
  return `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`
}

export function Graph({ model, settings }) {
  const [others, setOthers] = useState(new Set())
  const [sel, setSel] = useState(null)
  const [view, setView] = useState(null) // { x, y, k }
  const svg = useRef()
  const drag = useRef(null)
  const g = useMemo(() => build(model, others), [model, others])

  const bbox = () => {
    let x1 = 0, y1 = 0, x2 = W, y2 = H
    for (const p of g.pos.values()) {
      x2 = Math.max(x2, p.x + W)
      y2 = Math.max(y2, p.y + H + 40)
    }
    return { x1, y1, x2, y2 }
  }
  const fit = () => {
    const el = svg.current
    if (!el) return
    const r = el.getBoundingClientRect(), b = bbox()
    const k = Math.min(1.5, (r.width - 40) / (b.x2 - b.x1), (r.height - 40) / (b.y2 - b.y1))
    setView({ k, x: 20 - b.x1 * k, y: 20 - b.y1 * k })
  }
  useEffect(fit, [g])

  const onWheel = (e) => {
    e.preventDefault()
    const r = svg.current.getBoundingClientRect()
    const v = view ?? { x: 0, y: 0, k: 1 }
    const k = Math.min(4, Math.max(0.05, v.k * (e.deltaY < 0 ? 1.15 : 1 / 1.15)))
    const px = e.clientX - r.left, py = e.clientY - r.top
    setView({ k, x: px - ((px - v.x) * k) / v.k, y: py - ((py - v.y) * k) / v.k })
  }
  const onDown = (e) => {
    if (e.target.closest('.gnode')) return
    drag.current = { x: e.clientX, y: e.clientY, v: view ?? { x: 0, y: 0, k: 1 } }
    svg.current.setPointerCapture?.(e.pointerId)
  }
  const onMove = (e) => {
    const d = drag.current
    if (!d) return
    setView({ ...d.v, x: d.v.x + e.clientX - d.x, y: d.v.y + e.clientY - d.y })
  }
  const onUp = () => (drag.current = null)
  const zoom = (f) => {
    const v = view ?? { x: 0, y: 0, k: 1 }
    setView({ ...v, k: Math.min(4, Math.max(0.05, v.k * f)) })
  }
  const toggle = (t) => {
    const s = new Set(others)
    s.has(t) ? s.delete(t) : s.add(t)
    setOthers(s)
  }
  const v = view ?? { x: 0, y: 0, k: 1 }

  return (
    <div class="graph-view">
      <div class="graph-tools">
        <span class="note">owned namespaces:</span>
        {OTHER.map((t) => (
          <label key={t} class="check">
            <input type="checkbox" checked={others.has(t)} onChange={() => toggle(t)} /> {t}
          </label>
        ))}
        <span class="spacer" />
        <button onClick={() => zoom(1.25)} title="zoom in" aria-label="zoom in">+</button>
        <button onClick={() => zoom(0.8)} title="zoom out" aria-label="zoom out">−</button>
        <button onClick={fit} title="fit to window">fit</button>
        <span class="legend">
          <span class="e-parent">parent → child</span> <span class="e-owner">owner ⇢ PID ns</span>
        </span>
      </div>
      <svg ref={svg} class="graph" role="img" aria-label="namespace graph" onWheel={onWheel}
        onPointerDown={onDown} onPointerMove={onMove} onPointerUp={onUp} onPointerLeave={onUp}>
        <g transform={`translate(${v.x},${v.y}) scale(${v.k})`}>
          <text class="column" x={0} y={-12}>user namespaces</text>
          {model.pidRoots.length > 0 && g.pos.get(model.pidRoots[0]) && (
            <text class="column" x={g.pos.get(model.pidRoots[0]).x} y={-12}>PID namespaces</text>
          )}
          {g.edges.map((e, i) => (
            <path key={i} class={'edge ' + e.kind} d={path(g.pos.get(e.from), g.pos.get(e.to))} />
          ))}
          {[...g.pos].map(([n, p]) => (
            <g key={n.nsid} class={`gnode ns-${n.type}${n.initial ? ' initial' : ''}${sel === n ? ' selected' : ''}`}
              transform={`translate(${p.x},${p.y})`} onClick={() => setSel(n)} data-nsid={n.nsid}>
              <rect width={W} height={H} rx={6} />
              <text x={8} y={16} class="t1">{n.type}:[{n.nsid}]</text>
              <text x={8} y={32} class="t2">
                {n.ealdorman ? `"${n.ealdorman.name}" (${n.ealdorman.pid})`.slice(0, 30)
                  : n.looseThreads.length ? `task [${n.looseThreads[0].tid}]`
                    : n.reference.length ? n.reference[n.reference.length - 1].slice(0, 30) : 'hidden'}
                {n.type === 'user' ? ` · UID ${n.userId}` : ''}
              </text>
            </g>
          ))}
        </g>
      </svg>
      {sel && (
        <aside class="graph-details">
          <button class="icon close" onClick={() => setSel(null)} aria-label="close details">×</button>
          <p><NsBadge ns={sel} /> <OwnerLabel ns={sel} /></p>
          <p><NsSummary ns={sel} /></p>
          {sel.parent && <p>parent: <NsBadge ns={sel.parent} /></p>}
          {sel.owner && <p>owner: <NsBadge ns={sel.owner} /></p>}
          {sel.children.length > 0 && <p>{sel.children.length} child namespace(s)</p>}
          {sel.type === 'user' && <p>owns {sel.tenants.length} namespace(s)</p>}
          {sel.reference.length > 0 && <p class="ref">reference: {sel.reference.join(' » ')}</p>}
        </aside>
      )}
    </div>
  )
}
