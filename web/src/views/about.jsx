// SPDX-License-Identifier: Apache-2.0
export function About({ source }) {
  return (
    <div class="page about">
      <h2>lxkns in C</h2>
      <p>Version {__LXKNS_VERSION__}.</p>
      <p>
        A C implementation of lxkns, the Linux-kernel namespace discovery service: the discovery
        library liblxkns, command-line tools, and this service with its web UI (Preact). Its REST
        API is wire-compatible with <a href="https://github.com/thediveo/lxkns">Go lxkns</a>, so
        clients of the one work with the other.
      </p>
      {source && (
        <p class="note">
          Showing {source.kind === 'file' ? `the file ${source.name}` : 'a discovery of this host'},{' '}
          loaded {source.time.toLocaleString()}.
        </p>
      )}
      <p class="note">Licensed under the Apache License 2.0.</p>
    </div>
  )
}
