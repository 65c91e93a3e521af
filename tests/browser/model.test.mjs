// SPDX-License-Identifier: Apache-2.0
// The UI's model on the wire format: the fixture discovery of the service
// and the hand-made one with containers, mounts and affinities.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  fromJSON, cpuList, cpuSet, displayName, propagation, propagationRelations, descendants,
  isSystemProcess, isKernelThread, userNsParts, leaderNamespaces, firstViewExpansion, DiscoveryError,
  buildModel, splitDocument, joinPart,
} from '../../web/src/model/discovery.js'

const here = dirname(fileURLToPath(import.meta.url))
const load = (p) => JSON.parse(readFileSync(join(here, p), 'utf8'))

test('fixture discovery: namespaces, hierarchy, ownership, initial namespaces', () => {
  const m = fromJSON(load('../golden/expected/dumpns/basic.json'))
  assert.equal(m.count, 18)
  assert.deepEqual(m.userRoots.map((n) => n.nsid), [4026531837])
  const root = m.userRoots[0]
  assert.ok(root.initial)
  assert.deepEqual(root.children.map((n) => n.nsid), [4026532000])
  const hidden = m.namespaces.get(4026532000)
  assert.equal(hidden.reference.length, 0)
  assert.equal(hidden.userName, 'alice')
  assert.deepEqual(hidden.tenants.map((n) => n.nsid), [4026532050])
  const loose = m.namespaces.get(4026532030)
  assert.deepEqual(loose.looseThreads.map((t) => t.tid), [1011])
  assert.equal(loose.looseThreads[0].process.pid, 101)
  assert.equal(m.processes.get(100).parent.pid, 1)
  assert.equal(m.processes.get(100).namespaces.user.nsid, 4026532001)
  assert.equal(m.initial.net.nsid, 4026531840)
  assert.equal(m.namespaces.get(4026531836).children[0].nsid, 4026532010)
  assert.equal(m.mounts.size, 2)
  const t = m.mounts.get(4026532070)
  assert.equal(t.roots[0].path, '/')
  assert.equal(descendants(t.roots[0]), 8)
})

test('hand-made discovery: containers, engines, groups, affinities, mounts', () => {
  const m = fromJSON(load('sample-discovery.json'))
  assert.equal(m.containers.size, 4)
  const web = m.containers.get(4242)
  assert.equal(web.engine.type, 'docker.com')
  assert.equal(web.groups[0].name, 'shop')
  assert.equal(web.process.container, web)
  assert.equal(displayName(m.containers.get(5151)), '[kind-control-plane]:coredns')
  const inner = [...m.engines.values()].find((e) => e.type === 'containerd.io')
  assert.equal(inner.parent.type, 'docker.com')
  assert.deepEqual(m.cpusOnline, [[0, 3]])
  assert.equal(cpuList([[0, 1], [3, 3]]), '0-1,3')
  assert.deepEqual([...cpuSet([[0, 1], [3, 3]])], [0, 1, 3])
  assert.ok(isSystemProcess(m.processes.get(1)))
  const mp = m.mounts.get(4026532300).paths.find((p) => p.path === '/mnt')
  assert.equal(mp.mounts.length, 2)
  assert.ok(mp.mounts[0].hidden)
  assert.deepEqual(propagation(mp.mounts[0]), ['shared:7'])
  const rel = propagationRelations(m, mp.mounts[0])
  assert.equal(rel.slaves.length, 1)
  assert.equal(rel.slaves[0].mntnsid, 4026531841)
})

test('documents that are not discoveries are refused', () => {
  for (const doc of [null, [], 42, {}, { namespaces: {} }, { namespaces: { 1: { type: 'bogus' } }, processes: {} }])
    assert.throws(() => fromJSON(doc), DiscoveryError)
})

test('first view: what holds each namespace, reference chains with their processes', () => {
  const m = fromJSON(load('../golden/expected/dumpns/basic.json'))
  const ns = (id) => m.namespaces.get(id)
  // bind mount reached through PID 1's mount namespace
  assert.equal(ns(4026532050).holding, 'bind')
  assert.deepEqual(ns(4026532050).refs.map((r) => [r.path, r.process?.name ?? null]),
    [['/proc/1/ns/mnt', 'init'], ['/run/netns/x', null]])
  assert.equal(ns(4026532080).holding, 'bind')
  assert.equal(ns(4026532080).refs[0].process.pid, 100)
  // an fd of "holder" (101)
  assert.equal(ns(4026532040).holding, 'fd')
  assert.deepEqual(ns(4026532040).refs.map((r) => [r.path, r.process.name]), [['/proc/101/fd/5', 'holder']])
  // hidden: neither processes nor references
  assert.equal(ns(4026532000).hidden, true)
  assert.equal(ns(4026532000).holding, null)
  assert.equal(ns(4026532000).processless, true)
  // with processes or loose threads: not held, not hidden
  for (const id of [4026531837, 4026532001, 4026532030]) {
    assert.equal(ns(id).holding, null, `${id}`)
    assert.equal(ns(id).hidden, false, `${id}`)
  }
  assert.equal(ns(4026532030).processless, false, 'a loose thread keeps it')
})

test('first view: owned namespaces folded when the leaders share them, the others listed', () => {
  const m = fromJSON(load('../golden/expected/dumpns/basic.json'))
  const ids = (list) => list.map((n) => `${n.type}:${n.nsid}`)
  const init = m.namespaces.get(4026531837)
  assert.equal(leaderNamespaces(init).size, 7)
  let parts = userNsParts(init)
  assert.deepEqual(ids(parts.folded), ['cgroup:4026531835', 'ipc:4026531839', 'mnt:4026531841', 'net:4026531840',
    'pid:4026531836', 'time:4026531834', 'uts:4026531838'])
  assert.deepEqual(ids(parts.differing), ['net:4026532040'])
  assert.deepEqual(parts.foreign, [])
  parts = userNsParts(m.namespaces.get(4026532001))
  assert.deepEqual(ids(parts.folded), ['mnt:4026532070', 'net:4026532020', 'pid:4026532010'])
  assert.deepEqual(ids(parts.differing), ['mnt:4026532080', 'net:4026532030', 'uts:4026532060'])
  assert.deepEqual(ids(parts.foreign), ['cgroup:4026531835', 'ipc:4026531839', 'time:4026531834', 'uts:4026531838'])
  // the hidden user namespace has no leaders: nothing folded
  parts = userNsParts(m.namespaces.get(4026532000))
  assert.deepEqual(ids(parts.differing), ['net:4026532050'])
  assert.deepEqual(parts.folded, [])
  // expanded without a click: the initial user namespace and its
  // process-less child
  assert.deepEqual(firstViewExpansion(m), ['u:4026531837', 'u:4026532000'])
})

test('system processes: system cgroups, kernel threads, children of an unreadable PID 1', () => {
  const doc = load('../golden/expected/dumpns/basic.json')
  let m = fromJSON(doc)
  const sys = (m) => [...m.processes.values()].filter(isSystemProcess).map((p) => p.pid)
  assert.deepEqual(sys(m), [1, 2])
  assert.ok(isKernelThread(m.processes.get(2)))
  assert.ok(!isKernelThread(m.processes.get(1)))
  doc.processes['1'].namespaces = {}
  for (const t of doc.processes['1'].tasks ?? []) t.namespaces = {}
  m = fromJSON(doc)
  assert.deepEqual(sys(m).sort((a, b) => a - b), [1, 2, 100, 101, 103], 'PID 1 without namespaces')
  delete doc.processes['1']
  m = fromJSON(doc)
  assert.deepEqual(sys(m).sort((a, b) => a - b), [2, 100, 101, 103])
  assert.ok(!isSystemProcess(m.processes.get(102)), 'a grandchild of PID 1 is not')
})

// What a model links, as plain data (the models are graphs with cycles).
function shape(m) {
  const ids = (l) => l.map((x) => x.nsid ?? x.pid ?? x.path)
  return {
    count: m.count,
    ns: [...m.namespaces.values()].map((n) => [n.nsid, n.type, n.owner?.nsid, n.parent?.nsid, ids(n.children),
      ids(n.tenants), ids(n.leaders), n.ealdorman?.pid, ids(n.looseThreads.map((t) => t.process)), n.holding,
      n.hidden, n.initial, n.refs.map((r) => [r.path, r.process?.pid])]),
    procs: [...m.processes.values()].map((p) => [p.pid, p.parent?.pid, ids(p.children), p.name,
      Object.entries(p.namespaces).map(([t, n]) => `${t}:${n.nsid}`), p.tasks.map((t) => t.tid), p.container?.id,
      p.affinity]),
    containers: [...m.containers.values()].map((c) => [c.id, c.engine?.ref, c.groups.map((g) => g.ref)]),
    mounts: [...m.mounts.values()].map((t) => [t.mntnsid, t.paths.map((mp) => [mp.path, mp.parent?.path, mp.mounts.length]),
      ids(t.roots)]),
    roots: [ids(m.userRoots), ids(m.pidRoots), Object.entries(m.initial).map(([t, n]) => `${t}:${n.nsid}`)],
  }
}

const bigText = execFileSync('python3', [join(here, 'make-discovery.py'), 'big', '1000', '100'],
  { maxBuffer: 64 << 20 })
const big = () => JSON.parse(bigText)

test('buildModel: the model of fromJSON, built in slices that report their progress', async () => {
  const doc = big()
  const want = shape(fromJSON(doc))
  assert.equal(want.procs.length, 1000)
  assert.equal(want.count, 100)
  const progress = []
  const m = await buildModel(doc, { sliceMs: 0, onProgress: (p) => progress.push(p) })
  assert.deepEqual(shape(m), want)
  // a pause every 200 items: 2 x 100 namespaces + 2 x 1000 processes
  assert.deepEqual(progress.map((p) => p.done), [200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000, 2200])
  for (const p of progress) assert.deepEqual([p.total, p.processes, p.namespaces], [2200, 1000, 100])
  // the sample: containers, groups, mounts
  const sample = load('sample-discovery.json')
  assert.deepEqual(shape(await buildModel(sample, { sliceMs: 0 })), shape(fromJSON(sample)))
  await assert.rejects(buildModel({ namespaces: {} }), DiscoveryError)
})

test('splitDocument and joinPart: the parts a worker posts make the same model', () => {
  for (const doc of [big(), load('sample-discovery.json'), load('../golden/expected/dumpns/basic.json')]) {
    const { head, parts } = splitDocument(structuredClone(doc))
    const copy = structuredClone(head)
    for (const p of parts) joinPart(copy, structuredClone(p))
    assert.deepEqual(shape(fromJSON(copy)), shape(fromJSON(doc)))
    assert.equal(copy.processes.length, Object.keys(doc.processes).length)
    assert.deepEqual(Object.keys(copy.mounts ?? {}), Object.keys(doc.mounts ?? {}))
  }
  const { parts } = splitDocument(big())
  assert.deepEqual(parts.map((p) => [p.key, p.values.length]),
    [['namespaces', 100], ['processes', 250], ['processes', 250], ['processes', 250], ['processes', 250]])
  // not a discovery: passed on whole, for the model builder to refuse
  for (const doc of [null, 5, [1, 2]]) assert.deepEqual(splitDocument(doc), { head: doc, parts: [] })
  for (const doc of [null, 5, [1, 2], { hello: 'world' }, { namespaces: 3, processes: {} }]) {
    const { head, parts: rest } = splitDocument(doc)
    for (const p of rest) joinPart(head, p)
    assert.throws(() => fromJSON(head), DiscoveryError)
  }
})
