#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Discoveries in the wire format of Go lxkns for the UI tests.

  make-discovery.py sample        the hand-made host of sample-discovery.json:
                                  containers of three engines (one inside a
                                  container), compose and pod groups, a paused
                                  container, mount tables with hidden and
                                  overmounted mounts and propagation tags,
                                  CPU affinities, a realtime task
  make-discovery.py big P N       a synthetic host with P processes and N
                                  namespaces (for the responsiveness test)
"""
import json
import sys

INIT = {"mnt": 4026531841, "cgroup": 4026531835, "uts": 4026531838, "ipc": 4026531839,
        "user": 4026531837, "pid": 4026531836, "net": 4026531840, "time": 4026531834}
TYPES = ["time", "mnt", "cgroup", "uts", "ipc", "user", "pid", "net"]
ORDER = ["mnt", "cgroup", "uts", "ipc", "user", "pid", "net", "time"]


def options():
    return {"from-procs": True, "from-tasks": True, "from-fds": True, "from-bindmounts": True,
            "with-hierarchy": True, "with-ownership": True, "with-freezer": True,
            "with-mounts": True, "with-socket-processes": False,
            "with-affinity-scheduling": True, "with-task-affinity-scheduling": True,
            "labels": {}, "scanned-namespace-types": TYPES}


def proc(pid, ppid, name, cmdline, start, cgroup, ns, affinity=None, policy=None, prio=None,
         nice=None, frozen=False, tids=()):
    nss = {t: ns[t] for t in ORDER if t in ns}
    common = {"name": name, "starttime": start, "cpucgroup": cgroup, "fridgecgroup": cgroup,
              "fridgefrozen": frozen}
    if affinity:
        common["affinity"] = affinity
    if policy:
        common["policy"] = policy
    if prio:
        common["priority"] = prio
    if nice:
        common["nice"] = nice
    tasks = [dict({"namespaces": nss}, **common, tid=pid)]
    for tid, tname, tns in tids:
        t = dict({"namespaces": dict(nss, **tns)}, **common)
        t["name"] = tname
        t["tid"] = tid
        tasks.append(t)
    return dict({"namespaces": nss, "cmdline": cmdline, "tasks": tasks}, **common, pid=pid, ppid=ppid)


def ns(nsid, typ, ref=None, leaders=None, owner=None, parent=None, children=None, loose=None,
       uid=None, uname=None):
    d = {"nsid": nsid, "type": typ}
    if owner and typ != "user":
        d["owner"] = owner
    if ref:
        d["reference"] = ref
    if leaders:
        d["leaders"] = leaders
    if loose:
        d["loose-threads"] = loose
    if parent:
        d["parent"] = parent
    if leaders:
        d["ealdorman"] = leaders[0]
    if children:
        d["children"] = children
    if typ == "user":
        d["user-id"] = uid or 0
        d["user-name"] = uname if uname is not None else "root"
    return d


def mount(mid, pid, major, minor, root, point, opts, tags, fstype, source, sopts, hidden=False):
    return {"mountid": mid, "parentid": pid, "major": major, "minor": minor, "root": root,
            "mountpoint": point, "mountoptions": opts, "tags": tags, "fstype": fstype,
            "source": source, "superoptions": sopts, "hidden": hidden}


def sample():
    U0, P0, M0, N0 = INIT["user"], INIT["pid"], INIT["mnt"], INIT["net"]
    web = dict(INIT, mnt=4026532300, pid=4026532262, net=4026532264, uts=4026532301, ipc=4026532302)
    db = dict(INIT, mnt=4026532310, pid=4026532311, net=4026532264, uts=4026532312, ipc=4026532313)
    kind = dict(INIT, mnt=4026532500, pid=4026532501, net=4026532502, uts=4026532503,
                ipc=4026532504, cgroup=4026532505)
    dns = dict(kind, mnt=4026532510, pid=4026532511, uts=4026532512, ipc=4026532513)
    alice = dict(INIT, user=4026532400, net=4026532401, mnt=4026532402)
    all4 = [[0, 3]]
    procs = [
        proc(1, 0, "systemd", ["/sbin/init"], 45, "/init.scope", INIT, all4),
        proc(2, 0, "kthreadd", [], 46, "/", INIT, all4),
        proc(10, 2, "ksoftirqd/0", [], 50, "/", INIT, [[0, 0]]),
        proc(11, 2, "rcu_preempt", [], 51, "/", INIT, all4, policy=1, prio=1),
        proc(12, 2, "ksoftirqd/1", [], 52, "/", INIT, [[1, 1]]),
        proc(700, 1, "systemd-journal", ["/lib/systemd/systemd-journald"], 300,
             "/system.slice/systemd-journald.service", INIT, all4),
        proc(800, 1, "dockerd", ["/usr/bin/dockerd", "-H", "fd://"], 900,
             "/system.slice/docker.service", INIT, all4),
        proc(850, 1, "containerd", ["/usr/bin/containerd"], 880,
             "/system.slice/containerd.service", INIT, all4),
        proc(900, 1, "containerd-shim", ["/usr/bin/containerd-shim-runc-v2", "-id", "abd5"], 1000,
             "/system.slice/containerd.service", INIT, all4),
        proc(4242, 900, "nginx", ["nginx", "-g", "daemon off;"], 1200, "/docker/abd5d1e5004e",
             web, [[1, 1]], nice=-5, tids=[(4244, "nginx-rt", {})]),
        proc(4243, 4242, "nginx", ["nginx: worker process"], 1210, "/docker/abd5d1e5004e", web,
             [[1, 2]]),
        proc(6000, 900, "postgres", ["postgres"], 1300, "/docker/6000aaaa", db, all4,
             frozen=True),
        proc(5000, 900, "systemd", ["/sbin/init"], 1400, "/docker/kind0001", kind, all4),
        proc(5100, 5000, "containerd", ["/usr/local/bin/containerd"], 1500,
             "/docker/kind0001/system.slice/containerd.service", kind, all4),
        proc(5151, 5100, "coredns", ["/coredns", "-conf", "/etc/coredns/Corefile"], 1600,
             "/docker/kind0001/kubelet/pod1/coredns", dns, [[2, 3]]),
        proc(7000, 1, "sleep", ["sleep", "infinity"], 2000, "/user.slice/user-1000.slice", alice,
             all4, tids=[(7001, "stray thread", {"net": 4026532420})]),
        proc(7100, 1, "podman", ["podman", "system", "service"], 2100,
             "/user.slice/user-1000.slice/podman.service", INIT, all4),
    ]
    processes = {str(p["pid"]): p for p in procs}

    namespaces = {}

    def add(n):
        namespaces[str(n["nsid"])] = n
    add(ns(U0, "user", ["/proc/1/ns/user"], [1, 2], children=[4026532400]))
    add(ns(4026532400, "user", ["/proc/7000/ns/user"], [7000], parent=U0, uid=1000, uname="alice"))
    add(ns(P0, "pid", ["/proc/1/ns/pid"], [1, 2], owner=U0, children=[4026532262, 4026532311, 4026532501]))
    add(ns(4026532262, "pid", ["/proc/4242/ns/pid"], [4242], owner=U0, parent=P0))
    add(ns(4026532311, "pid", ["/proc/6000/ns/pid"], [6000], owner=U0, parent=P0))
    add(ns(4026532501, "pid", ["/proc/5000/ns/pid"], [5000], owner=U0, parent=P0, children=[4026532511]))
    add(ns(4026532511, "pid", ["/proc/5151/ns/pid"], [5151], owner=U0, parent=4026532501))
    for t in ["mnt", "cgroup", "uts", "ipc", "net", "time"]:
        add(ns(INIT[t], t, ["/proc/1/ns/" + t], [1, 2], owner=U0))
    for pid, d in [(4242, web), (6000, db), (5000, kind), (5151, dns)]:
        for t in ["mnt", "uts", "ipc", "net", "cgroup"]:
            if d[t] != INIT[t] and str(d[t]) not in namespaces:
                leaders = [pid, 6000] if d[t] == 4026532264 else [pid]
                add(ns(d[t], t, ["/proc/%d/ns/%s" % (pid, t)], leaders, owner=U0))
    add(ns(4026532401, "net", ["/proc/7000/ns/net"], [7000], owner=4026532400))
    add(ns(4026532402, "mnt", ["/proc/7000/ns/mnt"], [7000], owner=4026532400))
    add(ns(4026532420, "net", ["/proc/7001/ns/net"], owner=4026532400, loose=[7001]))
    add(ns(4026532193, "mnt", ["/proc/1/ns/mnt", "/run/snapd/ns/lxd.mnt"], owner=U0))
    add(ns(4026532199, "net", ["/proc/1/ns/mnt", "/run/netns/blue"], owner=U0))

    engines = {
        "1": {"containers": [4242, 5000, 6000], "id": "0ede014d-bb42-4bed-9cd3-4a10b3187e1d",
              "type": "docker.com", "version": "29.2.1", "api": "unix:///run/docker.sock",
              "pid": 800, "labels": {"turtlefinder/engine/id": "1"}},
        "2": {"containers": [5151], "id": "kind-containerd", "type": "containerd.io",
              "version": "2.1.0", "api": "unix:///proc/5100/root/run/containerd/containerd.sock",
              "pid": 5100, "labels": {"turtlefinder/engine/id": "2",
                                      "turtlefinder/engine/parent-id": "1"}},
        "3": {"containers": [], "id": "podman-alice", "type": "podman.io", "version": "5.4.0",
              "api": "unix:///run/user/1000/podman/podman.sock", "pid": 7100, "labels": None},
    }
    groups = {
        "1": {"containers": [4242, 6000], "name": "shop", "type": "com.docker.compose.project",
              "flavor": "com.docker.compose.project", "labels": {}},
        "2": {"containers": [5151], "name": "kube-system/coredns-7db6d8ff4d-x2x9q",
              "type": "io.kubernetes.pod", "flavor": "io.kubernetes.pod", "labels": {}},
    }
    containers = {
        "4242": {"engine": 1, "groups": [1], "id": "abd5d1e5004e3d34fb1aab95a89698aa4e16e06f28ad070c08f7c86432d1a2b1",
                 "name": "shop-web-1", "type": "docker.com", "flavor": "docker.com", "pid": 4242,
                 "paused": False, "labels": {"com.docker.compose.project": "shop",
                                             "turtlefinder/container/prefix": ""}},
        "5000": {"engine": 1, "groups": [], "id": "kind0001aaaa", "name": "kind-control-plane",
                 "type": "docker.com", "flavor": "docker.com", "pid": 5000, "paused": False,
                 "labels": {"io.x-k8s.kind.role": "control-plane"}},
        "5151": {"engine": 2, "groups": [2], "id": "coredns0001", "name": "coredns",
                 "type": "containerd.io", "flavor": "containerd.io", "pid": 5151, "paused": False,
                 "labels": {"turtlefinder/container/prefix": "kind-control-plane",
                            "io.kubernetes.pod.namespace": "kube-system"}},
        "6000": {"engine": 1, "groups": [1], "id": "6000aaaabbbb", "name": "shop-db-1",
                 "type": "docker.com", "flavor": "docker.com", "pid": 6000, "paused": True,
                 "labels": {"com.docker.compose.project": "shop"}},
    }
    mounts = {
        str(INIT["mnt"]): {
            "/": {"mounts": [mount(25, 1, 8, 1, "/", "/", ["rw", "relatime"], {"shared": "1"},
                                   "ext4", "/dev/sda1", "rw,errors=remount-ro")],
                  "pathid": 1, "parentid": 0},
            "/proc": {"mounts": [mount(26, 25, 0, 22, "/", "/proc", ["rw", "nosuid", "nodev", "noexec"],
                                       {"shared": "12"}, "proc", "proc", "rw")],
                      "pathid": 2, "parentid": 1},
            "/run": {"mounts": [mount(27, 25, 0, 24, "/", "/run", ["rw", "nosuid", "nodev"],
                                      {"shared": "5"}, "tmpfs", "tmpfs", "rw,size=1632268k,mode=755")],
                     "pathid": 3, "parentid": 1},
            "/run/netns/blue": {"mounts": [mount(600, 27, 0, 4, "net:[4026532199]", "/run/netns/blue",
                                                 ["rw"], {"shared": "5"}, "nsfs", "nsfs", "rw")],
                                "pathid": 4, "parentid": 3},
            "/mnt/data": {"mounts": [mount(610, 25, 0, 60, "/", "/mnt/data", ["ro", "relatime"],
                                           {"master": "7"}, "tmpfs", "data", "ro")],
                          "pathid": 5, "parentid": 1},
        },
        "4026532300": {
            "/": {"mounts": [mount(867, 843, 0, 53, "/", "/", ["rw", "relatime"], {}, "overlay",
                                   "overlay", "rw,lowerdir=/l,upperdir=/u,workdir=/w")],
                  "pathid": 1, "parentid": 0},
            "/mnt": {"mounts": [mount(700, 867, 0, 70, "/", "/mnt", ["rw"], {"shared": "7"}, "tmpfs",
                                      "first", "rw", hidden=True),
                                mount(701, 700, 0, 71, "/", "/mnt", ["rw"], {}, "tmpfs", "second", "rw")],
                     "pathid": 2, "parentid": 1},
            "/mnt/sub": {"mounts": [mount(702, 700, 0, 72, "/", "/mnt/sub", ["rw"], {"unbindable": ""},
                                          "tmpfs", "under", "rw", hidden=True)],
                         "pathid": 3, "parentid": 2},
            "/etc/hosts": {"mounts": [mount(703, 867, 8, 1, "/var/lib/docker/containers/abd5/hosts",
                                            "/etc/hosts", ["ro", "relatime"], {}, "ext4", "/dev/sda1",
                                            "rw")],
                           "pathid": 4, "parentid": 1},
            "/proc": {"mounts": [mount(704, 867, 0, 73, "/", "/proc", ["rw", "nosuid"], {}, "proc",
                                       "proc", "rw")],
                      "pathid": 5, "parentid": 1},
        },
        "4026532193": {
            "/": {"mounts": [mount(900, 800, 8, 1, "/", "/", ["rw"], {"master": "1"}, "ext4",
                                   "/dev/sda1", "rw")], "pathid": 1, "parentid": 0},
        },
    }
    return {"container-engines": engines, "container-groups": groups, "containers": containers,
            "cpus-online": [[0, 3]], "discovery-options": options(), "mounts": mounts,
            "namespaces": namespaces, "processes": processes}


def big(nprocs, nns):
    """nns namespaces: 1 initial set + user namespaces (10%), the rest net,
    mnt, uts, ipc, pid in rotation; processes spread over them."""
    U0 = INIT["user"]
    namespaces = {str(v): ns(v, t, ["/proc/1/ns/" + t], [1, 2], owner=U0) for t, v in INIT.items()}
    namespaces[str(U0)]["children"] = []
    namespaces[str(INIT["pid"])]["children"] = []
    users = [U0]
    extra = []
    nsid = 4026540000
    rot = ["net", "mnt", "uts", "ipc", "pid", "cgroup"]
    for i in range(nns - len(INIT)):
        nsid += 1
        if i % 10 == 0:
            parent = users[(i // 10) % len(users)]
            namespaces[str(nsid)] = ns(nsid, "user", [], parent=parent, uid=1000 + i, uname="u%d" % i)
            namespaces[str(parent)].setdefault("children", []).append(nsid)
            users.append(nsid)
        else:
            t = rot[i % len(rot)]
            owner = users[i % len(users)]
            n = ns(nsid, t, [], owner=owner)
            if t == "pid":
                n["parent"] = INIT["pid"]
                namespaces[str(INIT["pid"])]["children"].append(nsid)
            namespaces[str(nsid)] = n
            extra.append((nsid, t))
    processes = {}
    for pid in range(1, nprocs + 1):
        nss = dict(INIT)
        if pid > 2 and extra:
            nsid, t = extra[pid % len(extra)]
            nss[t] = nsid
            n = namespaces[str(nsid)]
            if "leaders" not in n:
                n["leaders"] = [pid]
                n["ealdorman"] = pid
                n["reference"] = ["/proc/%d/ns/%s" % (pid, t)]
        ppid = 0 if pid <= 2 else (2 if pid % 3 == 0 else 1)
        cg = "/" if ppid == 2 else "/system.slice/s%d.service" % (pid % 50)
        processes[str(pid)] = proc(pid, ppid, "proc%d" % pid, ["proc%d" % pid, "--flag"], pid,
                                   cg, nss, [[0, 1]] if pid % 7 else [[pid % 2, pid % 2]])
    for n in namespaces.values():
        if n["type"] == "user" and not n.get("leaders") and n["nsid"] != U0:
            n.pop("reference", None)
    return {"container-engines": {}, "container-groups": {}, "containers": {},
            "cpus-online": [[0, 1]], "discovery-options": options(), "mounts": {},
            "namespaces": namespaces, "processes": processes}


if __name__ == "__main__":
    if sys.argv[1] == "sample":
        doc = sample()
    else:
        doc = big(int(sys.argv[2]), int(sys.argv[3]))
    json.dump(doc, sys.stdout, indent=2 if sys.argv[1] == "sample" else None)
    sys.stdout.write("\n")
