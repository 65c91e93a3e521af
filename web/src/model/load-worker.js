// SPDX-License-Identifier: Apache-2.0
// A Web Worker that reads and parses a discovery document off the page's
// main thread: a saved file or a /api/namespaces response (a Blob), 3.9 MB
// for 5000 processes, is decoded and parsed here, then posted back in
// parts (splitDocument()): the structured clone of one big message would
// be one long task on the main thread again, parts are many short ones.
//
// In:  { id, blob }
// Out: { id, head }, then { id, key, values } for every part, then
//      { id, end: true }; or { id, error } when the text is not JSON.
//      Whether it is a discovery is for the model builder to tell.
import { splitDocument } from './discovery.js'

self.onmessage = async (e) => {
  const { id, blob } = e.data
  let doc
  try {
    doc = JSON.parse(typeof blob === 'string' ? blob : await blob.text())
  } catch (err) {
    self.postMessage({ id, error: err.message })
    return
  }
  const { head, parts } = splitDocument(doc)
  self.postMessage({ id, head })
  for (const p of parts) self.postMessage({ id, ...p })
  self.postMessage({ id, end: true })
}
