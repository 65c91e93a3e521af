# SPDX-License-Identifier: Apache-2.0
"""lsuserns, lspidns and graphns: the user and PID namespace trees of
linuxns_rel 1.0.6, drawn from a liblxkns discovery (which also finds
namespaces that only bind mounts, fds or sockets hold, and hidden parents).

Output lines keep linuxns_rel's shapes:

  user:[ID] process "NAME (PID)" namespace owner "USER" (UID)
   ├── ⟜ net:[ID] process "NAME (PID)"             (lsuserns -d)
  pid:[ID] process "NAME (PID)" owner user:[ID] (process "NAME (PID)") "USER" (UID)

Several roots (missing privileges) hang below a "?" root. graphns writes
the graph as SVG or PNG through Graphviz's dot, prints DOT, or opens the
lxkns service's graph view.
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import subprocess
import sys
import webbrowser
from typing import Callable, List, Optional, Sequence, Union

import lxkns
from lxkns import Namespace

_VERT, _TEE, _ELBOW, _HORIZ = "\u2502", "\u251c", "\u2514", "\u2500"
_OWNED_TYPES = ("cgroup", "ipc", "mnt", "net", "pid", "uts", "time")

_TYPE_COLORS = {
    "cgroup": "\x1b[31m", "ipc": "\x1b[33m", "mnt": "\x1b[34m", "net": "\x1b[32m",
    "uts": "\x1b[95m", "time": "\x1b[36m", "user": "\x1b[1m\x1b[47m", "pid": "\x1b[1m\x1b[46m\x1b[37m",
}
_RESET = "\x1b[39m\x1b[49m\x1b[22m"


class _Colors:
    def __init__(self, on: bool) -> None:
        self.on = on

    def ns(self, s: str) -> str:
        if not self.on:
            return s
        return _TYPE_COLORS.get(s.split(":", 1)[0], "") + s + _RESET

    def process(self, s: str) -> str:
        return "\x1b[32m" + s + "\x1b[39m" if self.on and s else s

    def user(self, s: str) -> str:
        return "\x1b[33m" + s + "\x1b[39m" if self.on else s

    def unknown(self, s: str) -> str:
        return "\x1b[31m" + s + "\x1b[39m" if self.on else s


def proc_label(ns: Namespace) -> Optional[str]:
    """linuxns_rel's process label of a namespace: the basename of its most
    senior process's argv[0] (a leading "-" stripped, "[comm]" for an empty
    command line) and its PID: "bash (1468)"; None without a process."""
    p = ns.ealdorman
    if p is None:
        return None
    return "%s (%d)" % (p.basename, p.pid)


def owner_uid_name(uid: Optional[int], name: Optional[str]) -> str:
    """The user name of an owner UID: the discovery's (from /etc/passwd of
    the initial mount namespace), else ours, else the number."""
    if name:
        return name
    if uid is None:
        return "?"
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def render_tree(label: str, children: List["_Node"]) -> List[str]:
    """Lines of a tree drawn as linuxns_rel (asciitree's light box style)."""
    lines = [label]
    for i, child in enumerate(children):
        sub = child.lines()
        last = i == len(children) - 1
        lines.append(" " + (_ELBOW if last else _TEE) + _HORIZ * 2 + " " + sub[0])
        lines.extend(" " + (" " if last else _VERT) + "  " + s for s in sub[1:])
    return lines


class _Node:
    def __init__(self, label: str, children: Sequence["_Node"] = ()) -> None:
        self.label, self.children = label, list(children)

    def lines(self) -> List[str]:
        return render_tree(self.label, self.children)


def _roots(d: lxkns.Discovery, t: str) -> List[Namespace]:
    roots = d.roots.get(t) or [n for n in d.namespaces_of_type(t) if n.parent is None]
    return sorted(roots, key=lambda n: n.id)


def _forest(roots: List[Namespace], make: Callable[[Namespace], _Node], c: _Colors) -> str:
    if not roots:
        return c.unknown("?")
    if len(roots) == 1:
        return "\n".join(make(roots[0]).lines())
    return "\n".join(render_tree(c.unknown("?"), [make(r) for r in roots]))


def userns_tree(d: lxkns.Discovery, details: bool = False, color: bool = False) -> str:
    """The lsuserns text of a discovery."""
    c = _Colors(color)

    def make(ns: Namespace) -> _Node:
        pl = proc_label(ns)
        label = '%s process%s namespace owner "%s" (%s)' % (
            c.ns("user:[%d]" % ns.id), c.process(' "%s"' % pl if pl else " (none)"),
            c.user(owner_uid_name(ns.user_id, ns.user_name)),
            c.user(str(ns.user_id) if ns.user_id is not None else "?"))
        kids: List[_Node] = []
        if details:
            owned = [o for o in ns.owned if o.type in _OWNED_TYPES]
            owned.sort(key=lambda o: "%s%d" % (o.type, o.id))
            for o in owned:
                opl = proc_label(o)
                kids.append(_Node("\u27dc %s process %s" % (
                    c.ns("%s:[%d]" % (o.type, o.id)), c.process('"%s"' % opl if opl else "(none)"))))
        kids.extend(make(ch) for ch in sorted(ns.children, key=lambda n: n.id))
        return _Node(label, kids)

    return _forest(_roots(d, "user"), make, c)


def pidns_tree(d: lxkns.Discovery, color: bool = False) -> str:
    """The lspidns text of a discovery."""
    c = _Colors(color)

    def make(ns: Namespace) -> _Node:
        pl = proc_label(ns)
        owner = ns.owner
        if owner is not None:
            opl = proc_label(owner) or ""
            ownerpart = '%s (process%s) "%s" (%s)' % (
                c.ns("user:[%d]" % owner.id), c.process(' "%s"' % opl),
                c.user(owner_uid_name(owner.user_id, owner.user_name)),
                c.user(str(owner.user_id) if owner.user_id is not None else "?"))
        else:
            ownerpart = c.unknown("user:[?]")
        label = "%s process%s owner %s" % (
            c.ns("pid:[%d]" % ns.id), c.process(' "%s"' % pl if pl else " (none)"), ownerpart)
        return _Node(label, [make(ch) for ch in sorted(ns.children, key=lambda n: n.id)])

    return _forest(_roots(d, "pid"), make, c)


def _discover(args: argparse.Namespace) -> lxkns.Discovery:
    if getattr(args, "input", None):
        return lxkns.load(sys.stdin if args.input == "-" else args.input)
    return lxkns.discover(types="user,pid,mnt,cgroup,uts,ipc,net,time", mounts=False, tasks=False,
                          freezer=False, affinity=False, containers=False)


def _run(fn: Callable[[], int]) -> int:
    try:
        return fn()
    except BrokenPipeError:
        # the reader went away (| head): no traceback when stdout is flushed
        # at exit. Before OSError, whose subclass it is.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (lxkns.LxknsError, OSError, ValueError) as e:
        print("%s: %s" % (_prog(), e), file=sys.stderr)
        return 1


def _prog() -> str:
    return os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "lshierns"


def _parser(desc: str, details: bool, color: bool) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=desc)
    if details:
        p.add_argument("-d", "--details", action="store_true", help="show details: owned non-user namespaces")
    if color:
        p.add_argument("-c", "--color", action="store_true", help="colorize output")
    p.add_argument("-i", "--input", metavar="FILE", help="a saved discovery (dumpns output; - for stdin)")
    return p


def lsuserns(argv: Optional[List[str]] = None) -> int:
    """lsuserns: the tree of user namespaces."""
    args = _parser("Show Linux user namespace tree.", True, True).parse_args(argv)
    return _run(lambda: print(userns_tree(_discover(args), args.details, args.color)) or 0)


def lspidns(argv: Optional[List[str]] = None) -> int:
    """lspidns: the tree of PID namespaces with their owners."""
    args = _parser("Show Linux PID namespace tree.", False, True).parse_args(argv)
    return _run(lambda: print(pidns_tree(_discover(args), args.color)) or 0)


def _dq(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def graph_dot(d: lxkns.Discovery, details: bool = False) -> str:
    """The user and PID namespaces as a Graphviz digraph (linuxns_rel's
    graphns layout: clusters PID (green) and user (blue), hierarchy edges,
    dashed edges to owning user namespaces, owned namespaces with -d)."""
    out = ["digraph namespaces {", "\trankdir=TB; newrank=true;"]

    def node(nid: str, ns: Namespace, extra: str = "") -> str:
        pl = proc_label(ns)
        label = ('"%s"\n' % pl if pl else "") + "%s:[%d]" % (ns.type, ns.id)
        return "\t\t%s [label=%s style=filled fillcolor=\"#ffffff\"%s];" % (_dq(nid), _dq(label), extra)

    for t, color, fill, title in (("pid", "#85ad85", "#e6ffe6", "PID"), ("user", "#7598bd", "#e6f2ff", "user")):
        out.append("\tsubgraph cluster_%s {" % t)
        out.append("\t\tlabel=%s; color=%s; style=filled; fillcolor=%s;" % (_dq(title), _dq(color), _dq(fill)))
        for ns in d.namespaces_of_type(t):
            out.append(node("%s-%d" % (t, ns.id), ns))
            if t == "user" and details:
                for ot in _OWNED_TYPES:
                    if ot == "pid":
                        continue
                    owned = [o for o in ns.owned if o.type == ot]
                    if len(owned) > 1:
                        out.append("\t\t%s [label=%s shape=folder style=filled];" % (
                            _dq("owned-%s-%d" % (ot, ns.id)), _dq(ot)))
                    for o in owned:
                        out.append(node("%s-%d" % (ot, o.id), o, " shape=box"))
        out.append("\t}")
    roots = _roots(d, "pid") + _roots(d, "user")
    if roots:
        out.append("\t{ rank=same; %s }" % " ".join(_dq("%s-%d" % (r.type, r.id)) for r in roots))
    for t in ("pid", "user"):
        for ns in d.namespaces_of_type(t):
            me = _dq("%s-%d" % (t, ns.id))
            if t == "pid" and ns.owner is not None:
                out.append("\t%s -> %s [style=dashed constraint=false];" % (me, _dq("user-%d" % ns.owner.id)))
            for ch in sorted(ns.children, key=lambda n: n.id):
                out.append("\t%s -> %s [dir=back];" % (me, _dq("%s-%d" % (t, ch.id))))
            if t == "user" and details:
                for ot in _OWNED_TYPES:
                    if ot == "pid":
                        continue
                    owned = [o for o in ns.owned if o.type == ot]
                    src = me
                    if len(owned) > 1:
                        src = _dq("owned-%s-%d" % (ot, ns.id))
                        out.append("\t%s -> %s [dir=back];" % (me, src))
                    for o in owned:
                        out.append("\t%s -> %s [dir=back];" % (src, _dq("%s-%d" % (ot, o.id))))
    out.append("}")
    return "\n".join(out) + "\n"


def graphns(argv: Optional[List[str]] = None) -> int:
    """graphns: the user and PID namespace graph as SVG or PNG (Graphviz's
    dot), as DOT text, or the lxkns service's graph view in a browser."""
    p = _parser("Show graphical Linux user+PID namespaces tree.", True, False)
    g = p.add_mutually_exclusive_group()
    g.add_argument("-o", "--output", metavar="FILE",
                   help="write the graph to FILE (.svg or .png; default namespaces.svg)")
    g.add_argument("--dot", action="store_true", help="print the graph in Graphviz's DOT language")
    g.add_argument("--open", metavar="URL", nargs="?", const="http://localhost:5010",
                   help="open the graph view of the lxkns service at URL (default http://localhost:5010)")
    p.add_argument("-T", "--format", choices=("svg", "png"), help="output format (default: from FILE's suffix)")
    args = p.parse_args(argv)

    def run() -> int:
        if args.open:
            url = args.open.rstrip("/") + "/graph"
            if not webbrowser.open(url):
                print("%s: no browser to open %s" % (_prog(), url), file=sys.stderr)
                return 1
            print(url)
            return 0
        text = graph_dot(_discover(args), args.details)
        if args.dot:
            sys.stdout.write(text)
            return 0
        out = args.output or "namespaces.svg"
        fmt = args.format or ("png" if out.lower().endswith(".png") else "svg")
        dot = shutil.which("dot")
        if dot is None:
            print("%s: Graphviz's dot is not installed (apt install graphviz), or use --dot" % _prog(),
                  file=sys.stderr)
            return 1
        r = subprocess.run([dot, "-T" + fmt, "-o", out], input=text.encode(), stderr=subprocess.PIPE)
        if r.returncode != 0:
            print("%s: dot failed: %s" % (_prog(), r.stderr.decode(errors="replace").strip()), file=sys.stderr)
            return 1
        print(out)
        return 0

    return _run(run)


def _main(fn: Callable[[Optional[List[str]]], int]) -> Callable[[], None]:
    def entry() -> None:
        sys.exit(fn(None))
    return entry


if __name__ == "__main__":
    sys.exit(lsuserns())
