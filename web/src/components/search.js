// SPDX-License-Identifier: Apache-2.0
// What a tree row can be found by: the namespace IDs, PIDs and TIDs it
// shows (matched exactly by a number), and its names and paths (process
// and task names, container names and IDs, reference paths, mount paths,
// cgroups; matched as case-insensitive substrings). Taken from the row's
// label by the components that make it, so that a search finds what the
// row shows about its own subject: a namespace row whose summary names
// its senior process is not a match for that PID (the process's own rows
// are), but it is one for its reference paths.
import { Fragment } from 'preact'
import {
  NsBadge, NsSummary, ProcessLabel, ContainerBadge, TaskLabel, RefChain,
} from './labels.jsx'
import { displayName } from '../model/discovery.js'

function addProcess(keys, p) {
  keys.nums.push(p.pid)
  keys.texts.push(p.name)
  if (p.container) addContainer(keys, p.container)
}

function addContainer(keys, c) {
  keys.texts.push(c.name, displayName(c), c.id)
}

function walk(v, keys) {
  if (v == null || typeof v === 'boolean') return
  if (typeof v === 'string' || typeof v === 'number') {
    keys.texts.push(String(v))
    return
  }
  if (Array.isArray(v)) {
    for (const c of v) walk(c, keys)
    return
  }
  const { type, props } = v
  if (type === NsBadge) {
    keys.nums.push(props.ns.nsid)
    keys.texts.push(`${props.ns.type}:[${props.ns.nsid}]`)
  } else if (type === ProcessLabel) addProcess(keys, props.p)
  else if (type === ContainerBadge) addContainer(keys, props.container)
  else if (type === TaskLabel) {
    keys.nums.push(props.t.tid)
    keys.texts.push(props.t.name)
    addProcess(keys, props.t.process)
  } else if (type === RefChain || type === NsSummary) keys.texts.push(...props.ns.reference)
  else if (type === Fragment || typeof type === 'string') {
    if (props['data-search'] != null) keys.texts.push(String(props['data-search']))
    walk(props.children, keys)
  }
  /* other components: what they show is not searched */
}

// The keys of a row label (a vnode), cached on the row.
export function rowKeys(row) {
  if (!row.keys) {
    const keys = { nums: [], texts: [] }
    walk(row.label, keys)
    keys.texts = keys.texts.filter(Boolean).map((t) => t.toLowerCase())
    row.keys = keys
  }
  return row.keys
}

// A search query: a number finds the namespace, PID or TID with that
// number; "type:[id]" finds the namespace; other text is a substring of a
// name or path.
export function compileQuery(q) {
  const text = q.trim().toLowerCase()
  if (!text) return null
  if (/^\d+$/.test(text)) {
    const n = Number(text)
    return (row) => rowKeys(row).nums.includes(n)
  }
  return (row) => rowKeys(row).texts.some((t) => t.includes(text))
}
