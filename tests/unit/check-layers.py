#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# check-layers.py SRCROOT: every #include "..." in lib/, service/ and tools/
# must point down or sideways in the layers
#   common < core < discover < containers < json < {service, tools}
# (service and tools never include each other), and the files of service/
# must not include each other in a cycle. TAP output.
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
root = os.path.abspath(root)
RANK = {"common": 0, "core": 1, "discover": 2, "containers": 3, "json": 4,
        "service": 5, "tools": 5, "public": -1}
SEARCH = ["lib/core", "lib/discover", "lib/containers", "lib/json", "lib", "common",
          "service", "tools/common", "include"]
INC = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer(rel):
    parts = rel.split("/")
    if parts[0] == "lib" and len(parts) > 2:
        return parts[1]
    if parts[0] == "include":
        return "public"
    if parts[0] in ("common", "service", "tools"):
        return parts[0]
    return None


def resolve(src, name):
    cands = [os.path.join(os.path.dirname(src), name)]
    cands += [os.path.join(root, d, name) for d in SEARCH]
    for c in cands:
        if os.path.isfile(c):
            return os.path.relpath(os.path.realpath(c), root)
    return None  # generated (config.h) or a system header


errors = []
svc_edges = {}
for top in ("lib", "service", "tools", "common"):
    for d, _, files in os.walk(os.path.join(root, top)):
        for f in sorted(files):
            if not f.endswith((".c", ".h")):
                continue
            src = os.path.join(d, f)
            rel = os.path.relpath(src, root)
            a = layer(rel)
            if a is None:
                continue
            with open(src, errors="replace") as fh:
                text = fh.read()
            for name in INC.findall(text):
                tgt = resolve(src, name)
                if tgt is None:
                    continue
                b = layer(tgt)
                if b is None:
                    continue
                if RANK[b] > RANK[a] or (RANK[b] == RANK[a] and a != b):
                    errors.append(f"{rel}: upward include \"{name}\" ({a} -> {b})")
                if a == "service" and b == "service":
                    m = os.path.splitext(os.path.basename(rel))[0]
                    n = os.path.splitext(os.path.basename(tgt))[0]
                    if m != n:
                        svc_edges.setdefault(m, set()).add(n)

# cycles between the files of service/ (a module = x.c + x.h)
state = {}


def dfs(m, path):
    state[m] = 1
    for n in sorted(svc_edges.get(m, ())):
        if state.get(n) == 1:
            errors.append("service: include cycle " + " -> ".join(path[path.index(n):] + [n]))
        elif n not in state:
            dfs(n, path + [n])
    state[m] = 2


for m in sorted(svc_edges):
    if m not in state:
        dfs(m, [m])

print("1..1")
for e in errors:
    print("# " + e)
print(("not ok" if errors else "ok") + " 1 - includes point down the layers, no cycles in service/")
sys.exit(1 if errors else 0)
