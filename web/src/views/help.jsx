// SPDX-License-Identifier: Apache-2.0
import { NsBadge, Mark } from '../components/labels.jsx'
import {
  CrownIcon, FlagIcon, LinkIcon, FileIcon, GhostIcon, ThreadIcon, SnowIcon, BoxIcon, LayersIcon,
} from '../components/icons.jsx'
import { NS_TYPES } from '../model/discovery.js'

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
        <li>{NS_TYPES.map((t, i) => <NsBadge key={t} ns={sample(t, 4026531834 + i)} />)} every type has its icon and colour (those of the CLI themes).</li>
        <li><Mark kind="ealdorman" icon={CrownIcon} text="ealdorman" /> the most senior leader process of a namespace; <Mark kind="leader" icon={FlagIcon} text="leader" /> a leader: a topmost process in it.</li>
        <li><Mark kind="bind" icon={LinkIcon} text="bind-mounted" /> held by a bind mount, with its chain <span class="refchain"><span class="path">"/proc/2/ns/mnt"</span> [kthreadd] » <span class="path">"/run/netns/x"</span></span> (the mount namespace the path is in, then the path).</li>
        <li><Mark kind="fd" icon={FileIcon} text="fd-held" /> held by an open file descriptor (<Mark kind="fd" icon={FileIcon} text="fd/socket-held" /> for a network namespace, which a socket can hold too), with the process holding it.</li>
        <li><Mark kind="hidden" icon={GhostIcon} text="hidden" /> a namespace without processes, fds or bind mounts of its own, only known as the parent or owner of another one.</li>
        <li><Mark kind="loose" icon={ThreadIcon} text="loose thread" /> a task in another namespace than its process; <span class="frozen"><SnowIcon class="inline" />frozen</span> a frozen process.</li>
        <li><span class="container"><BoxIcon class="inline" /><span class="engine-tag">Docker</span>web</span> a container: its engine, name, compose project or pod, and paused state.</li>
        <li><span class="fold-title"><LayersIcon class="inline" />the leaders' namespaces:</span> the namespaces a user namespace owns that its leaders are in, shown once on one line.</li>
      </ul>
      <h2>Views</h2>
      <dl>
        <dt>All namespaces</dt><dd>The user namespace tree, the initial one expanded: under each user namespace its leader processes (system processes only when Settings shows them), the namespaces they share on one line, the owned namespaces that differ with what holds them, and its child user namespaces.</dd>
        <dt>Containers</dt><dd>What the discovery found (engines and containers, or that no engine was found); the container engines (nested when one runs in a container of another), under each its compose projects and pods with their containers (paused ones counted), and each container's namespaces.</dd>
        <dt>user, pid</dt><dd>The hierarchies (in the PID view, each leader expands to its process tree); cgroup, ipc, net, uts, time: flat lists.</dd>
        <dt>mnt</dt><dd>Each mount namespace's mount path tree: filesystem, source, read-only, propagation, hidden and overmounted mounts; ⋯ opens the details with propagation peers, masters and slaves.</dd>
        <dt>CPU affinities</dt><dd>Per online CPU, the processes allowed on it (greyed: ancestors that are not), pinned and realtime ones marked.</dd>
        <dt>Graph</dt><dd>The user and PID hierarchies with ownership edges; drag to pan, wheel to zoom, click for details.</dd>
      </dl>
      <h2>Search, details, links</h2>
      <p>
        The search box above every tree finds rows by namespace ID, PID or TID (a number matches
        exactly), or by a process or task name, container name, path or cgroup (any part of it).
        It jumps to the first match, expanding what hides it, and highlights all of them; Enter and
        Shift+Enter (or the arrows) step through them, Escape clears it. A click on a namespace or
        a process opens its details: everything this discovery knows about it, with links to the
        related namespaces and processes. <code>ns/4026531837</code> and <code>pid/1234</code> are
        links to a namespace and to a process: they open its view with its row expanded and
        selected. When the service could not see everything (processes it cannot read, for lack of
        privilege), a notice above the view says so.
      </p>
      <h2>Keyboard</h2>
      <p>
        Tab reaches the selected row of a tree; Up and Down move, Home and End go to the first and
        last row, Right expands (or goes to the first child), Left collapses (or goes to the
        parent), Enter and Space toggle, <kbd>d</kbd> opens the details of the row's namespace or
        process. In a dialog, Tab stays inside and Escape closes it.
      </p>
      <h2>App bar</h2>
      <p>
        Refresh discovers again (auto-refresh: every 500 ms to 5 min; each discovery costs the host
        some work, so prefer relaxed intervals). Expand and collapse act on the current view.
        Download saves the discovery as JSON (the document of <code>GET /api/namespaces</code>);
        import shows a saved one again (also by dropping the file onto the window), which turns
        auto-refresh off. A big discovery loads in the background, the line above the view saying
        how far it is; the view shown stays usable meanwhile.
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
