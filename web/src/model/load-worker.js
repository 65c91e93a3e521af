// SPDX-License-Identifier: Apache-2.0
// A Web Worker that reads and parses a discovery document off the page's
// main thread: a saved file or a /api/namespaces response (a Blob), 3.9 MB
// for 5000 processes, is decoded and parsed here, then posted back in
// parts. The structured clone of one big message would be one long task
// on the main thread again; parts of PART items each are many short ones.
//
// In:  { id, blob }
// Out: { id, head } (the document without its processes, namespaces and
//      mounts, and how many there are), then { id, key, values } (a part
//      of doc[key]: namespace or process objects; for mounts [mntnsid,
//      paths] entries), then { id, end: true }; or { id, error } when the
//      text is not JSON. Whether it is a discovery is for the model
//      builder to tell (discovery.js).

// Items per part: namespaces and processes are small, a mount table
// (one mount namespace's paths) can have hundreds of paths.
const PART = { namespaces: 250, processes: 250, mounts: 8 }

self.onmessage = async (e) => {
  const { id, blob } = e.data
  let doc
  try {
    doc = JSON.parse(typeof blob === 'string' ? blob : await blob.text())
  } catch (err) {
    self.postMessage({ id, error: err.message })
    return
  }
  const plain = doc && typeof doc === 'object' && !Array.isArray(doc)
  const parts = []
  const head = plain ? { ...doc } : doc
  const counts = {}
  if (plain)
    for (const key of Object.keys(PART)) {
      const v = doc[key]
      if (!v || typeof v !== 'object' || Array.isArray(v)) continue
      const values = key === 'mounts' ? Object.entries(v) : Object.values(v)
      head[key] = key === 'mounts' ? {} : []
      counts[key] = values.length
      for (let i = 0; i < values.length; i += PART[key])
        parts.push({ key, values: values.slice(i, i + PART[key]) })
    }
  self.postMessage({ id, head, counts })
  for (const p of parts) self.postMessage({ id, ...p })
  self.postMessage({ id, end: true })
}
