# SPDX-License-Identifier: Apache-2.0
"""lxkns: discover every Linux-kernel namespace, in Python, with liblxkns.

>>> import lxkns
>>> d = lxkns.discover()
>>> netns = d.initial_namespaces["net"]
>>> netns.type, netns.owner is d.initial_namespaces["user"]
('net', True)
>>> d.processes[1].namespaces["pid"] is d.initial_namespaces["pid"]
True

discover(**options) runs a discovery (the options of dumpns's flags, by
their query name: procs, tasks, fds, sockets, bindmounts, hierarchy,
ownership, usernames, pidmap, mounts, freezer, affinity, task_affinity,
containers; plus types, procfs, threads and container_timeout_ms).
load()/loads() read a saved discovery (the JSON document of GET
/api/namespaces, dumpns's output), dump()/dumps() write one. Discovery has
the namespaces, processes, containers, engines, groups and mount tables,
and translates PIDs between PID namespaces.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import weakref
from typing import IO, Any, Dict, Iterable, List, Optional, Tuple, Union

from . import _lib
from ._errors import DiscoveryError, DocumentError, LibraryNotFoundError, LxknsError
from ._model import (
    CLONE_FLAGS, NAMESPACE_TYPES, TYPE_INDEX, Container, Diagnostic, Engine, Group, Mount,
    MountPath, Namespace, Process, Task,
)

__version__ = "0.1.0"

__all__ = [
    "discover", "load", "loads", "dump", "dumps", "options", "library_version",
    "Discovery", "Namespace", "Process", "Task", "Container", "Engine", "Group", "Mount",
    "MountPath", "Diagnostic", "LxknsError", "LibraryNotFoundError", "DiscoveryError",
    "DocumentError", "NAMESPACE_TYPES", "CLONE_FLAGS",
]

NamespaceLike = Union[Namespace, int, str]


def library_version() -> str:
    """The version of the loaded liblxkns."""
    return _lib.lib().lxkns_version().decode()


def options() -> Dict[str, bool]:
    """The boolean discovery options discover() accepts (keyword name ->
    default), from the library's option table."""
    lib = _lib.lib()
    out: Dict[str, bool] = {}
    i = 0
    while True:
        o = lib.lxkns_discover_option_at(i)
        if not o:
            return out
        out[o.contents.query.decode().replace("-", "_")] = bool(o.contents.on_by_default)
        i += 1


def _type_mask(types: Any) -> int:
    if isinstance(types, str):
        types = [t for t in types.replace(" ", ",").split(",") if t]
    mask = 0
    for t in types:
        if isinstance(t, str) and t in TYPE_INDEX:
            mask |= 1 << TYPE_INDEX[t]
            continue
        if isinstance(t, int) and not isinstance(t, bool):
            for name, flag in CLONE_FLAGS.items():
                if flag == t:
                    mask |= 1 << TYPE_INDEX[name]
                    break
            else:
                raise ValueError("unknown namespace type %#x" % t)
            continue
        raise ValueError("unknown namespace type %r (expected one of %s)" % (t, ", ".join(NAMESPACE_TYPES)))
    if not mask:
        raise ValueError("types: no namespace type given")
    return mask


def _json_style(indent: Optional[int], compact: bool, tab: bool) -> _lib.JsonStyle:
    st = _lib.JsonStyle()
    st.size = ctypes.sizeof(_lib.JsonStyle)
    if indent is None:
        indent = 2
    if not isinstance(indent, int) or isinstance(indent, bool) or not 0 <= indent <= 8:
        raise ValueError("indent must be an int 0..8, not %r" % (indent,))
    st.indent, st.compact, st.tab = indent, bool(compact), bool(tab)
    return st


def _write(fn: Any, handle: int, style: _lib.JsonStyle) -> bytes:
    chunks: List[bytes] = []

    def sink(_ud: Any, buf: Any, n: int) -> int:
        chunks.append(ctypes.string_at(buf, n))
        return 0

    cb = _lib.SINK(sink)
    _lib.check(fn(handle, ctypes.byref(style), cb, None), "writing the document")
    return b"".join(chunks)


class Discovery:
    """The result of a discovery, or of reading a saved one.

    Attributes: namespaces (inode -> Namespace), processes (PID -> Process),
    containers, engines, groups (lists), mounts (mount namespace inode ->
    path -> MountPath), cpus_online ([(from, to)]), options (the document's
    "discovery-options"), diagnostics (what the discovery could not see),
    initial_namespaces (type -> Namespace) and roots (type -> list of
    Namespace, "user" and "pid").

    It holds the library's result (for dump() and PID translation) until
    close() or garbage collection; it is a context manager.
    """

    def __init__(self, handle: int, doc: Dict[str, Any]) -> None:
        self._handle: Optional[int] = handle
        lib = _lib.lib()
        self._finalizer = weakref.finalize(self, lib.lxkns_result_unref, handle)
        self.options: Dict[str, Any] = doc.get("discovery-options", {})
        self.namespaces: Dict[int, Namespace] = {}
        self._by_id: Dict[Tuple[str, int], Namespace] = {}
        self.processes: Dict[int, Process] = {}
        self.containers: List[Container] = []
        self.engines: List[Engine] = []
        self.groups: List[Group] = []
        self.mounts: Dict[int, Dict[str, MountPath]] = {}
        self.cpus_online: List[Tuple[int, int]] = [tuple(r) for r in doc.get("cpus-online", [])]  # type: ignore[misc]
        self._build(doc)
        self.diagnostics: List[Diagnostic] = []
        for i in range(lib.lxkns_result_diagnostic_count(handle)):
            dg = lib.lxkns_result_diagnostic_at(handle, i).contents
            self.diagnostics.append(Diagnostic(dg.pid, dg.err, (dg.what or b"").decode(errors="replace"),
                                               (dg.message or b"").decode(errors="replace")))
        self.initial_namespaces: Dict[str, Namespace] = {}
        self.roots: Dict[str, List[Namespace]] = {"user": [], "pid": []}
        for t, i in TYPE_INDEX.items():
            p = lib.lxkns_result_initial_namespace(handle, i)
            if p and lib.lxkns_namespace_id(p).ino in self.namespaces:
                self.initial_namespaces[t] = self.namespaces[lib.lxkns_namespace_id(p).ino]
        for t in ("user", "pid"):
            for i in range(lib.lxkns_result_root_count(handle, TYPE_INDEX[t])):
                ino = lib.lxkns_namespace_id(lib.lxkns_result_root_at(handle, TYPE_INDEX[t], i)).ino
                if ino in self.namespaces:
                    self.roots[t].append(self.namespaces[ino])

    # ---- building ----------------------------------------------------

    def _build(self, doc: Dict[str, Any]) -> None:
        nss = self.namespaces
        # by (type, inode): the kernel may reuse an inode for another type
        # during a scan; the document then keys the second type "TYPE:[N]"
        # and namespaces[N] is the plain key's (the lowest type's)
        by_id = self._by_id
        by_key: Dict[str, Namespace] = {}
        for key, j in doc.get("namespaces", {}).items():
            ino = int(j["nsid"])
            ns = Namespace(ino, j["type"], tuple(j.get("reference", ())),
                           user_id=j.get("user-id"), user_name=j.get("user-name"))
            by_id[(j["type"], ino)] = by_key[key] = ns
            if key.isdigit():
                nss[ino] = ns
        procs = self.processes
        # Namespace sets repeat (a process's tasks, the processes of one
        # container): equal raw objects share one read-only mapping.
        last_raw: Dict[str, int] = {}
        last_map: Dict[str, Namespace] = {}

        def ns_map(raw: Dict[str, int]) -> Dict[str, Namespace]:
            nonlocal last_raw, last_map
            if raw != last_raw:
                last_raw = raw
                last_map = {t: by_id[(t, i)] for t, i in raw.items() if (t, i) in by_id}
            return last_map

        for key, j in doc.get("processes", {}).items():
            aff = j.get("affinity")
            p = Process(j["name"], j["starttime"], j["cpucgroup"], j["fridgecgroup"], j["fridgefrozen"],
                        [tuple(r) for r in aff] if aff else [],  # type: ignore[misc]
                        j.get("policy", 0), j.get("priority", 0), j.get("nice", 0),
                        ns_map(j["namespaces"]), j["pid"], j["ppid"], j["cmdline"])
            tasks = []
            for tj in j["tasks"]:
                aff = tj.get("affinity")
                tasks.append(Task(tj["name"], tj["starttime"], tj["cpucgroup"], tj["fridgecgroup"],
                                  tj["fridgefrozen"], [tuple(r) for r in aff] if aff else [],  # type: ignore[misc]
                                  tj.get("policy", 0), tj.get("priority", 0), tj.get("nice", 0),
                                  ns_map(tj["namespaces"]), tj["tid"], p))
            p.tasks = tasks
            procs[p.pid] = p
        for p in procs.values():
            parent = procs.get(p.ppid) if p.ppid else None
            if parent is not None and parent is not p:
                p.parent = parent
                parent.children.append(p)
        tasks_by_tid: Optional[Dict[int, Task]] = None
        for key, j in doc.get("namespaces", {}).items():
            ns = by_key[key]
            o = by_id.get(("user", j.get("owner")))
            if o is not None:
                ns.owner = o
                o.owned.append(ns)
            ns.parent = by_id.get((ns.type, j.get("parent")))
            ns.children = [by_id[(ns.type, c)] for c in j.get("children", ()) if (ns.type, c) in by_id]
            ns.leaders = sorted((procs[pid] for pid in j.get("leaders", ()) if pid in procs),
                                key=lambda x: x.pid)
            e = j.get("ealdorman")
            ns.ealdorman = procs.get(e) if e else None
            if j.get("loose-threads"):
                if tasks_by_tid is None:
                    tasks_by_tid = {t.tid: t for p in procs.values() for t in p.tasks}
                ns.loose_threads = [tasks_by_tid[t] for t in j["loose-threads"] if t in tasks_by_tid]
        for ns in by_id.values():
            if ns.owned:
                ns.owned.sort(key=lambda x: (TYPE_INDEX[x.type], x.id))
        engines: Dict[str, Engine] = {}
        for key, j in doc.get("container-engines", {}).items():
            engines[key] = Engine(int(key), j.get("id", ""), j.get("type", ""), j.get("version", ""),
                                  j.get("api", ""), j.get("pid", 0), dict(j.get("labels") or {}))
        groups: Dict[str, Group] = {}
        for key, j in doc.get("container-groups", {}).items():
            groups[key] = Group(int(key), j.get("name", ""), j.get("type", ""), j.get("flavor", ""),
                                dict(j.get("labels") or {}))
        for key, j in doc.get("containers", {}).items():
            c = Container(j.get("id", ""), j.get("name", ""), j.get("type", ""), j.get("flavor", ""),
                          j.get("pid", 0), j.get("paused", False), dict(j.get("labels") or {}))
            c.engine = engines.get(str(j.get("engine")))
            if c.engine is not None:
                c.engine.containers.append(c)
            for g in j.get("groups", ()):
                if str(g) in groups:
                    c.groups.append(groups[str(g)])
                    groups[str(g)].containers.append(c)
            c.process = procs.get(c.pid)
            if c.process is not None:
                c.process.container = c
            self.containers.append(c)
        self.engines = list(engines.values())
        self.groups = list(groups.values())
        for mkey, paths in (doc.get("mounts") or {}).items():
            table: Dict[str, MountPath] = {}
            by_pathid: Dict[int, MountPath] = {}
            by_mountid: Dict[int, Mount] = {}
            parents: List[Tuple[MountPath, int]] = []
            for path, pj in paths.items():
                mp = MountPath(path, pj.get("pathid", 0))
                for mj in pj.get("mounts", ()):
                    m = Mount(mj["mountid"], mj["parentid"], mj["major"], mj["minor"], mj["root"],
                              mj["mountpoint"], mj.get("mountoptions", []), mj.get("tags", {}),
                              mj["fstype"], mj["source"], mj.get("superoptions", ""), mj.get("hidden", False))
                    mp.mounts.append(m)
                    by_mountid[m.mountid] = m
                table[path] = mp
                by_pathid[mp.pathid] = mp
                parents.append((mp, pj.get("parentid", 0)))
            for mp, pid_ in parents:
                par = by_pathid.get(pid_) if pid_ else None
                if par is not None and par is not mp:
                    mp.parent = par
                    par.children.append(mp)
            for m in by_mountid.values():
                pm = by_mountid.get(m.parentid)
                if pm is not None and pm is not m:
                    m.parent = pm
                    pm.children.append(m)
            self.mounts[int(mkey)] = table

    # ---- lookups -----------------------------------------------------

    def namespace(self, ref: NamespaceLike) -> Optional[Namespace]:
        """The namespace with this inode, or of a "net:[4026531840]" text;
        None when the discovery does not know it. ValueError for text that
        is neither."""
        if isinstance(ref, Namespace):
            return self._by_id.get((ref.type, ref.id))
        if isinstance(ref, int) and not isinstance(ref, bool):
            return self.namespaces.get(ref)
        if isinstance(ref, str):
            text = ref.strip()
            t = None
            if ":[" in text and text.endswith("]"):
                t, text = text[:-1].split(":[", 1)
                if t not in TYPE_INDEX:
                    raise ValueError("unknown namespace type %r in %r" % (t, ref))
            if not text.isdigit():
                raise ValueError("not a namespace: %r (expected TYPE:[INODE] or an inode)" % ref)
            if t is not None:
                return self._by_id.get((t, int(text)))
            return self.namespaces.get(int(text))
        raise TypeError("namespace must be a Namespace, an inode or a str, not %s" % type(ref).__name__)

    def namespaces_of_type(self, type: str) -> List[Namespace]:
        """The namespaces of one type ("net", ...), by inode."""
        if type not in TYPE_INDEX:
            raise ValueError("unknown namespace type %r" % (type,))
        return sorted((n for n in self._by_id.values() if n.type == type), key=lambda n: n.id)

    def _c_ns(self, ref: NamespaceLike, what: str) -> Tuple[int, Namespace]:
        ns = self.namespace(ref)
        if ns is None or ns.type != "pid":
            raise ValueError("%s: %r is not a PID namespace of this discovery" % (what, ref))
        p = _lib.lib().lxkns_result_namespace_by_ino(self._live(), TYPE_INDEX["pid"], ns.id)
        return p, ns

    def _live(self) -> int:
        if self._handle is None:
            raise LxknsError("the discovery is closed")
        return self._handle

    def translate_pid(self, pid: int, from_ns: NamespaceLike, to_ns: NamespaceLike) -> Optional[int]:
        """pid as seen in PID namespace from_ns, as seen in to_ns; None when
        the process is unknown in from_ns or invisible in to_ns. Needs the
        NSpid of a live discovery (a saved document has none).

        >>> d.translate_pid(1, d.initial_namespaces["pid"], d.initial_namespaces["pid"])
        1
        """
        f, _ = self._c_ns(from_ns, "from_ns")
        t, _ = self._c_ns(to_ns, "to_ns")
        r = _lib.lib().lxkns_result_translate_pid(self._live(), int(pid), f, t)
        return r if r > 0 else None

    def process_by_nspid(self, pid: int, pidns: NamespaceLike) -> Optional[Process]:
        """The process with pid as seen in PID namespace pidns, or None."""
        lib = _lib.lib()
        n, _ = self._c_ns(pidns, "pidns")
        p = lib.lxkns_result_process_by_nspid(self._live(), int(pid), n)
        return self.processes.get(lib.lxkns_process_pid(p)) if p else None

    def namespaced_pids(self, process: Union[Process, int]) -> List[Tuple[Namespace, int]]:
        """A process's PIDs in every PID namespace it is visible in, from
        the outermost known one down to its own: [(pidns, pid), ...]."""
        lib = _lib.lib()
        pid = process.pid if isinstance(process, Process) else int(process)
        p = lib.lxkns_result_process_by_pid(self._live(), pid)
        out: List[Tuple[Namespace, int]] = []
        if not p:
            return out
        for i in range(lib.lxkns_process_namespaced_pid_count(p)):
            nsp = _lib.P()
            v = lib.lxkns_process_namespaced_pid_at(p, i, ctypes.byref(nsp))
            ino = lib.lxkns_namespace_id(nsp).ino if nsp.value else 0
            if ino in self.namespaces:
                out.append((self.namespaces[ino], v))
        return out

    # ---- writing -----------------------------------------------------

    def dumps(self, indent: Optional[int] = 2, compact: bool = False, tab: bool = False) -> str:
        """The discovery as the JSON document of GET /api/namespaces, byte
        for byte what dumpns writes with the same layout options."""
        lib = _lib.lib()
        return _write(lib.lxkns_result_write_json, self._live(), _json_style(indent, compact, tab)).decode()

    def dump(self, fp: Union[IO[Any], str, os.PathLike], **style: Any) -> None:
        """Writes dumps(**style) to a file object or a path."""
        text = self.dumps(**style)
        if isinstance(fp, (str, os.PathLike)):
            with open(fp, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            fp.write(text)

    def dumps_pidmap(self, indent: Optional[int] = 2, compact: bool = False, tab: bool = False) -> str:
        """The PID map document of GET /api/pidmap (dumpns --pidmap)."""
        lib = _lib.lib()
        return _write(lib.lxkns_result_write_pidmap_json, self._live(), _json_style(indent, compact, tab)).decode()

    def close(self) -> None:
        """Releases the library's result (dump and PID translation then
        raise LxknsError; the Python objects stay)."""
        self._finalizer()
        self._handle = None

    def __enter__(self) -> "Discovery":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<Discovery %d namespaces, %d processes, %d containers>" % (
            len(self.namespaces), len(self.processes), len(self.containers))


_COMPACT = None


def _from_handle(handle: int) -> Discovery:
    global _COMPACT
    lib = _lib.lib()
    if _COMPACT is None:
        _COMPACT = _json_style(0, True, False)
    # The document and the model are many small containers that all stay
    # alive: the cyclic collector would only rescan them again and again
    # while they are built (a third of the time on load M).
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        try:
            doc = json.loads(_write(lib.lxkns_result_write_json, handle, _COMPACT))
        except BaseException:
            lib.lxkns_result_unref(handle)
            raise
        return Discovery(handle, doc)
    finally:
        if gc_was_on:
            gc.enable()


_NOT_TABLE = ("types", "procfs", "threads", "container_timeout_ms")


def discover(**opts: Any) -> Discovery:
    """Runs a discovery and returns it.

    Keyword options (default: everything on but task_affinity): the
    library's boolean options by query name (see options()): procs, tasks,
    fds, sockets, bindmounts, hierarchy, ownership, usernames, pidmap,
    mounts, freezer, affinity, task_affinity, containers; types (names such
    as "net,user", or a list of names or CLONE_NEW* flags), procfs (a procfs
    root or fixture tree), threads (scan workers, 0 = auto) and
    container_timeout_ms.

    >>> d = discover(types="user,pid", mounts=False)
    >>> sorted({ns.type for ns in d.namespaces.values()}) <= ["mnt", "pid", "user"]
    True

    TypeError for an unknown option or a non-bool value, ValueError for a
    bad value, DiscoveryError when the discovery cannot run at all.
    """
    lib = _lib.lib()
    o = _lib.DiscoverOpts()
    _lib.check(lib.lxkns_discover_opts_init_sized(ctypes.byref(o), ctypes.sizeof(o)), "discovery options")
    procfs_keep = None
    for key, value in opts.items():
        if key in _NOT_TABLE:
            if key == "types":
                if value is not None:
                    o.type_mask = _type_mask(value)
            elif key == "procfs":
                if value is not None:
                    procfs_keep = os.fsencode(value)
                    o.procfs_root = procfs_keep
            else:
                if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > 0xFFFFFFFF:
                    raise ValueError("%s must be a non-negative int, not %r" % (key, value))
                setattr(o, "threads" if key == "threads" else "container_timeout_ms", value)
            continue
        row = lib.lxkns_discover_option_by_query(key.replace("_", "-").encode())
        if not row:
            raise TypeError("discover() got an unexpected keyword argument %r (options: %s)" % (
                key, ", ".join(list(options()) + list(_NOT_TABLE))))
        if not isinstance(value, bool):
            raise TypeError("discover() option %s must be a bool, not %s" % (key, type(value).__name__))
        _lib.check(lib.lxkns_discover_option_set(row, ctypes.byref(o), value), "option " + key)
    h = _lib.P()
    rc = lib.lxkns_discover(ctypes.byref(o), ctypes.byref(h))
    if rc < 0:
        raise DiscoveryError(-rc, "discovery failed: %s" % os.strerror(-rc),
                             procfs_keep.decode(errors="replace") if procfs_keep else None)
    return _from_handle(h.value)


def loads(data: Union[str, bytes]) -> Discovery:
    """Reads a saved discovery (the JSON document of GET /api/namespaces)
    from a str or bytes. DocumentError (a ValueError) with the reader's
    explanation when it is not one."""
    if isinstance(data, str):
        data = data.encode()
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError("loads() takes str or bytes, not %s" % type(data).__name__)
    lib = _lib.lib()
    err = ctypes.create_string_buffer(512)
    h = _lib.P()
    rc = lib.lxkns_result_read_json(bytes(data), len(data), ctypes.byref(h), err, len(err))
    if rc < 0:
        msg = err.value.decode(errors="replace") or os.strerror(-rc)
        raise DocumentError("not a discovery: " + msg)
    return _from_handle(h.value)


def load(source: Union[IO[Any], str, os.PathLike]) -> Discovery:
    """Reads a saved discovery from a path or a (text or binary) file
    object; see loads()."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            return loads(f.read())
    if hasattr(source, "read"):
        return loads(source.read())
    raise TypeError("load() takes a path or a file object, not %s" % type(source).__name__)


def dumps(discovery: Discovery, **style: Any) -> str:
    """discovery.dumps(**style): indent (0..8, default 2), compact, tab."""
    return discovery.dumps(**style)


def dump(discovery: Discovery, fp: Union[IO[Any], str, os.PathLike], **style: Any) -> None:
    """discovery.dump(fp, **style)."""
    discovery.dump(fp, **style)
