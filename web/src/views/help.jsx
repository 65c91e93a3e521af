// SPDX-License-Identifier: Apache-2.0
import { NsBadge } from '../components/labels.jsx'

const sample = (type, nsid, initial = false) => ({ type, nsid, initial })

export function Help() {
  return (
    <div class="page help">
      <h2>What you see</h2>
      <p>
        lxkns finds all Linux-kernel namespaces of this host (cgroup, ipc, mnt, net, pid, time,
        user, uts): those of processes and threads, and those held only by an open file
        descriptor, a socket or a bind mount, plus "hidden" user and PID namespaces that are only
        known as the parent or owner of another one.
      </p>
      <ul class="legend-list">
        <li><NsBadge ns={sample('user', 4026531837, true)} /> a dashed border marks an initial namespace (that of PID 1).</li>
        <li><span class="tenant shared"><NsBadge ns={sample('net', 4026532264)} /></span> dimmed: a shared namespace, used by the processes of a user namespace but owned by another one.</li>
        <li><span class="summary">"nginx" (4242)</span> the leader process (the most senior first), its <span class="cgroup">cgroup</span>, <span class="frozen">frozen</span> state and realtime scheduling.</li>
        <li><span class="summary hidden-ns">hidden</span> a namespace without processes, fds or bind mounts of its own.</li>
      </ul>
      <h2>Views</h2>
      <dl>
        <dt>All namespaces</dt><dd>The user namespace tree; under each user namespace the namespaces it owns, their leaders grouped by cgroup, and its child user namespaces.</dd>
        <dt>Containers</dt><dd>Container engines (nested when one runs in a container of another), their containers, groups (compose projects, pods), and each container's namespaces.</dd>
        <dt>user, pid</dt><dd>The hierarchies; cgroup, ipc, net, uts, time: flat lists.</dd>
        <dt>mnt</dt><dd>Each mount namespace's mount path tree: filesystem, source, read-only, propagation, hidden and overmounted mounts; ⋯ opens the details with propagation peers, masters and slaves.</dd>
        <dt>CPU affinities</dt><dd>Per online CPU, the processes allowed on it (greyed: ancestors that are not), pinned and realtime ones marked.</dd>
        <dt>Graph</dt><dd>The user and PID hierarchies with ownership edges; drag to pan, wheel to zoom, click for details.</dd>
      </dl>
      <h2>App bar</h2>
      <p>
        Refresh discovers again (auto-refresh: every 500 ms to 5 min; each discovery costs the host
        some work, so prefer relaxed intervals). Expand and collapse act on the current view.
        Download saves the discovery as JSON (the document of <code>GET /api/namespaces</code>);
        import shows a saved one again (also by dropping the file onto the window), which turns
        auto-refresh off.
      </p>
      <h2>The API</h2>
      <p>
        <code>GET api/namespaces</code>, <code>api/processes</code> and <code>api/pidmap</code> return
        the documents of Go lxkns; query parameters select the discovery, e.g.
        <code> api/namespaces?types=net,user&amp;tasks=off</code>. <code>metrics</code> has Prometheus
        metrics, <code>healthz</code> the health.
      </p>
    </div>
  )
}
