#!/usr/bin/env python3
# Writes the saved discoveries the tool golden tests render (tests/golden/
# tools.sh): hand-made DiscoveryResult documents, richer than the fixture
# /proc trees: nested user and PID namespaces with changing owners, hidden
# user and PID namespaces, a process-less bind-mounted PID namespace, bind
# mounts inside another mount namespace, fd and loose-thread references, a
# process whose PID namespace could not be read, an orphan, odd names, a
# Docker-style cgroup and process UIDs. Leaders are derived here the way the library derives
# them (attached processes whose parent is not attached). Also writes
# malformed documents that must be rejected or survived (cycles).
#
#   python3 make-inputs.py      (then commit the .json files)
import copy
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

U0, U1, U2, U3, U4 = 4026531837, 4026532100, 4026532101, 4026532102, 4026532200
P0, P1, P2, P3, P4, P5 = 4026531836, 4026532210, 4026532220, 4026532230, 4026532240, 4026532241
M0, M1 = 4026531841, 4026532340
C0, UT0, I0, T0 = 4026531835, 4026531838, 4026531839, 4026531834
N0, N1, N2, N3, N4 = 4026531840, 4026532211, 4026532300, 4026532310, 4026532320
I1 = 4026532330
DOCKER = "0123456789abcdef" * 4

base = {"mnt": M0, "cgroup": C0, "uts": UT0, "ipc": I0, "user": U0, "pid": P0,
        "net": N0, "time": T0}


def ns(**over):
    d = dict(base)
    for k, v in over.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return d


# pid: (name, cmdline, ppid, starttime, cgroup, namespaces)
procs = {
    1: ("systemd", ["/sbin/init", "splash"], 0, 10, "/init.scope", ns()),
    2: ("kthreadd", [], 0, 11, "/", ns()),
    500: ("unshare", ["unshare", "-Ur", "--pid", "--fork", "sleep", "infinity"], 1, 1000,
          "/user.slice/user-1000.slice/session-1.scope", ns(user=U1)),
    501: ("sleep", ["sleep", "infinity"], 500, 1001,
          "/user.slice/user-1000.slice/session-1.scope", ns(user=U1, pid=P3)),
    520: ("bash", ["-bash"], 1, 900, "/user.slice/user-1000.slice/session-2.scope",
          ns(user=U1)),
    600: ("podman", ["/usr/bin/podman", "unshare"], 520, 1200,
          "/user.slice/user-1000.slice/session-2.scope", ns(user=U2, mnt=None)),
    1000: ("containerd-shim", ["/usr/bin/containerd-shim-runc-v2", "-namespace", "moby"], 1,
           2000, "/system.slice/containerd.service", ns()),
    1001: ("systemd", ["/sbin/init"], 1000, 2001, "/docker/" + DOCKER,
           ns(user=U4, pid=P1, net=N1)),
    1050: ("sleep", ["/bin/sleep", "1000"], 1001, 2050, "/docker/" + DOCKER + "/inner",
           ns(user=U4, pid=P2, net=N1)),
    1051: ('we"ird\\name', ["./we\"ird"], 1050, 2051, "/docker/" + DOCKER + "/inner",
           ns(user=U4, pid=P2, net=N1)),
    1010: ("holder", ["holder", "--keep"], 1, 3000, "/system.slice/holder.service", ns()),
    1200: ("mystery", ["mystery"], 1, 3100, "/system.slice/mystery.service", ns(pid=None, net=None)),
    1300: ("orphan", ["orphan"], 1299, 3200, "", ns()),
}
tasks = {1010: [(1011, "stray thread :p", 3001, ns(net=N2))]}
# process UIDs (the owner of /proc/PID); 1300 has none (unknown). 1001 is a
# UID without a user name anywhere in the document.
uids = {1: 0, 2: 0, 500: 1000, 501: 1000, 520: 1000, 600: 1000, 1000: 0, 1001: 0, 1050: 0,
        1051: 0, 1010: 0, 1200: 1001}

namespaces = {
    U0: {"type": "user", "user-id": 0, "user-name": "root"},
    U1: {"type": "user", "parent": U0, "user-id": 1000, "user-name": "alice"},
    U2: {"type": "user", "parent": U1, "user-id": 1000, "user-name": "alice"},
    U3: {"type": "user", "parent": U2, "user-id": 1001},  # hidden, name unknown
    U4: {"type": "user", "parent": U0, "user-id": 0, "user-name": "root"},
    P0: {"type": "pid", "owner": U0},
    P1: {"type": "pid", "owner": U4, "parent": P0},
    P2: {"type": "pid", "owner": U4, "parent": P1},
    P3: {"type": "pid", "owner": U1, "parent": P0},
    P4: {"type": "pid", "owner": U0, "parent": P0},  # hidden
    P5: {"type": "pid", "owner": U1, "parent": P4,
         "reference": ["/proc/1/ns/mnt", "/run/pidns/p5"]},
    M0: {"type": "mnt", "owner": U0},
    M1: {"type": "mnt", "owner": U0, "reference": ["/proc/1/ns/mnt", "/run/snapd/ns/lxd.mnt"]},
    C0: {"type": "cgroup", "owner": U0},
    UT0: {"type": "uts", "owner": U0},
    I0: {"type": "ipc", "owner": U0},
    I1: {"type": "ipc", "owner": U4,
         "reference": ["/proc/1/ns/mnt", "/run/snapd/ns/lxd.mnt", "/run/ipc/x"]},
    T0: {"type": "time", "owner": U0},
    N0: {"type": "net", "owner": U0},
    N1: {"type": "net", "owner": U4},
    N2: {"type": "net", "owner": U1},
    N3: {"type": "net", "owner": U0, "reference": ["/proc/1010/fd/7"]},
    N4: {"type": "net", "owner": U1, "reference": ["/proc/1/ns/mnt", "/run/netns/blue"]},
}


def document():
    leaders = {}
    for pid, (_, _, ppid, _, _, nss) in sorted(procs.items()):
        parent = procs.get(ppid)
        for t, ino in nss.items():
            if parent is None or parent[5].get(t) != ino:
                leaders.setdefault(ino, []).append(pid)
    loose = {}
    for pid, tl in tasks.items():
        for tid, _, _, nss in tl:
            for t, ino in nss.items():
                if procs[pid][5].get(t) != ino:
                    loose.setdefault(ino, []).append(tid)
    out_ns = {}
    for ino in sorted(namespaces):
        d = dict(namespaces[ino])
        e = {"nsid": ino, "type": d.pop("type")}
        if "owner" in d:
            e["owner"] = d.pop("owner")
        if ino in leaders:
            # the most senior leader: earliest start, then lowest PID
            eald = min(leaders[ino], key=lambda pid: (procs[pid][3], pid))
            e["reference"] = ["/proc/%d/ns/%s" % (eald, e["type"])]
        elif ino in loose:
            e["reference"] = ["/proc/%d/ns/%s" % (loose[ino][0], e["type"])]
        elif "reference" in d:
            e["reference"] = d.pop("reference")
        d.pop("reference", None)
        if ino in leaders:
            e["leaders"] = leaders[ino]
        if ino in loose:
            e["loose-threads"] = loose[ino]
        e.update(d)
        out_ns[str(ino)] = e

    def common(name, start, cg, nss):
        return {"namespaces": nss, "name": name, "starttime": start, "cpucgroup": cg,
                "fridgecgroup": cg, "fridgefrozen": False}

    out_p = {}
    for pid, (name, cmd, ppid, start, cg, nss) in sorted(procs.items()):
        p = {"namespaces": nss, "cmdline": cmd}
        tl = [dict(common(name, start, cg, nss), tid=pid)]
        for tid, tname, tstart, tnss in tasks.get(pid, []):
            tl.append(dict(common(tname, tstart, cg, tnss), tid=tid))
        p["tasks"] = tl
        p.update(common(name, start, cg, nss))
        p["pid"] = pid
        p["ppid"] = ppid
        if pid in uids:
            p["uid"] = uids[pid]
        out_p[str(pid)] = p
    return {"namespaces": out_ns, "processes": out_p}


def write(name, doc):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")


write("nested.json", document())

# broken documents: each must be refused on load with a one-line error
# naming the element (tools.sh, "broken saved discoveries"); the fuzz corpus
# has them too (tests/fuzz/corpus/json/broken-*)
UA, UB, PA, PB = 4026532500, 4026532501, 4026532510, 4026532511
broken = {}
# user namespaces that are each other's parent
d = copy.deepcopy(document())
d["namespaces"][str(UA)] = {"nsid": UA, "type": "user", "parent": UB, "user-id": 5}
d["namespaces"][str(UB)] = {"nsid": UB, "type": "user", "parent": UA, "user-id": 6}
broken["user-cycle"] = d
# PID namespaces that are each other's parent
d = copy.deepcopy(document())
d["namespaces"][str(PA)] = {"nsid": PA, "type": "pid", "owner": U0, "parent": PB}
d["namespaces"][str(PB)] = {"nsid": PB, "type": "pid", "owner": U0, "parent": PA}
broken["pid-cycle"] = d
# user namespaces that own each other (the "owner" of a user namespace)
d = copy.deepcopy(document())
d["namespaces"][str(UA)] = {"nsid": UA, "type": "user", "owner": UB, "user-id": 5}
d["namespaces"][str(UB)] = {"nsid": UB, "type": "user", "owner": UA, "user-id": 6}
broken["owner-cycle"] = d
# processes that are each other's parent
d = copy.deepcopy(document())
for pid, ppid in ((7000, 7001), (7001, 7000)):
    d["processes"][str(pid)] = {"namespaces": {"user": U0, "pid": P0}, "name": "cycle",
                                "pid": pid, "ppid": ppid}
broken["ppid-cycle"] = d
# a PID namespace whose parent is not in the document
d = copy.deepcopy(document())
d["namespaces"][str(PA)] = {"nsid": PA, "type": "pid", "owner": U0, "parent": PB}
broken["missing-parent"] = d
# a net namespace whose owner is not in the document
d = copy.deepcopy(document())
d["namespaces"][str(N4 + 1)] = {"nsid": N4 + 1, "type": "net", "owner": UA}
broken["missing-owner"] = d
# a leader that is not in "processes"
d = copy.deepcopy(document())
d["namespaces"][str(N1)]["leaders"].append(7777)
broken["missing-process"] = d
# a process in a namespace that is not in "namespaces"
d = copy.deepcopy(document())
d["processes"]["1010"]["namespaces"]["net"] = N4 + 2
broken["missing-namespace"] = d
for name, doc in broken.items():
    write("broken-" + name + ".json", doc)

# one inode as two types (the kernel reused it during the scan): the second
# type under the key "TYPE:[N]"; every tool shows both (broken.sh)
write("shared-inode.json", {
    "namespaces": {
        "4026532173": {"nsid": 4026532173, "type": "user", "reference": ["/proc/41/ns/user"],
                       "user-id": 0, "user-name": "root"},
        "net:[4026532173]": {"nsid": 4026532173, "type": "net", "owner": 4026532173,
                             "reference": ["/proc/40/ns/net"]},
    },
    "processes": {
        "40": {"pid": 40, "ppid": 0, "name": "gone", "namespaces": {"net": 4026532173}},
        "41": {"pid": 41, "ppid": 0, "name": "newer", "namespaces": {"user": 4026532173}},
    },
})
