# SPDX-License-Identifier: Apache-2.0
"""The object model of a discovery: namespaces, processes, tasks,
containers, engines, groups and mount tables, linked to each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

#: the namespace type names, in the order of a process's "namespaces".
NAMESPACE_TYPES = ("mnt", "cgroup", "uts", "ipc", "user", "pid", "net", "time")
#: CLONE_NEW* flag of each type name.
CLONE_FLAGS = {
    "mnt": 0x00020000, "cgroup": 0x02000000, "uts": 0x04000000, "ipc": 0x08000000,
    "user": 0x10000000, "pid": 0x20000000, "net": 0x40000000, "time": 0x00000080,
}
TYPE_INDEX = {t: i for i, t in enumerate(NAMESPACE_TYPES)}

CpuRanges = List[Tuple[int, int]]


@dataclass(eq=False, repr=False)
class Namespace:
    """A namespace: its type ("net", ...) and inode (id), its reference (a
    path, or a chain of bind-mount paths; empty when hidden), leaders
    (topmost attached processes), ealdorman (the most senior leader), loose
    threads, owner (the owning user namespace; None for user namespaces),
    parent and children (user and pid only), and for user namespaces the
    owner UID, its user name and the namespaces they own."""

    id: int
    type: str
    reference: Tuple[str, ...] = ()
    owner: Optional["Namespace"] = None
    parent: Optional["Namespace"] = None
    children: List["Namespace"] = field(default_factory=list)
    leaders: List["Process"] = field(default_factory=list)
    ealdorman: Optional["Process"] = None
    loose_threads: List["Task"] = field(default_factory=list)
    user_id: Optional[int] = None
    user_name: Optional[str] = None
    owned: List["Namespace"] = field(default_factory=list)

    @property
    def hidden(self) -> bool:
        """Only reachable as a parent or owner: no reference of its own."""
        return not self.reference

    @property
    def clone_flag(self) -> int:
        """The CLONE_NEW* flag of the type."""
        return CLONE_FLAGS[self.type]

    def __str__(self) -> str:
        return "%s:[%d]" % (self.type, self.id)

    def __repr__(self) -> str:
        return "<Namespace %s:[%d]%s>" % (self.type, self.id, " hidden" if self.hidden else "")


@dataclass(eq=False, repr=False)
class _Common:
    name: str = ""
    starttime: int = 0
    cpucgroup: str = ""
    fridgecgroup: str = ""
    frozen: bool = False
    affinity: CpuRanges = field(default_factory=list)
    policy: int = 0
    priority: int = 0
    nice: int = 0
    namespaces: Dict[str, Namespace] = field(default_factory=dict)


@dataclass(eq=False, repr=False)
class Process(_Common):
    """A process: PID and PPID (in the discovery's PID namespace), comm
    (name), command line, start time, cgroups, freezer state, scheduling,
    the namespaces it is attached to (type name -> Namespace), its tasks
    (threads, main task included, when tasks were scanned), parent and
    children in the process tree, and the container it is the initial
    process of."""

    pid: int = 0
    ppid: int = 0
    cmdline: List[str] = field(default_factory=list)
    tasks: List["Task"] = field(default_factory=list)
    parent: Optional["Process"] = None
    children: List["Process"] = field(default_factory=list)
    container: Optional["Container"] = None

    @property
    def basename(self) -> str:
        """argv[0]'s last path element without a leading "-" (login
        shells), or "[name]" for kernel threads and empty command lines."""
        if not self.cmdline or not self.cmdline[0]:
            return "[%s]" % self.name
        b = self.cmdline[0].rsplit("/", 1)[-1]
        return b[1:] if b.startswith("-") else b

    def __repr__(self) -> str:
        return "<Process %d %r>" % (self.pid, self.name)


@dataclass(eq=False, repr=False)
class Task(_Common):
    """A thread of a process (tid; the main task has tid == pid)."""

    tid: int = 0
    process: Optional[Process] = None

    def __repr__(self) -> str:
        return "<Task %d %r>" % (self.tid, self.name)


@dataclass(eq=False, repr=False)
class Engine:
    """A container engine (Docker, containerd, CRI, podman, runc/crun state
    directories): id, type, version, API endpoint, PID, labels and its
    containers."""

    refid: int
    id: str = ""
    type: str = ""
    version: str = ""
    api: str = ""
    pid: int = 0
    labels: Dict[str, str] = field(default_factory=dict)
    containers: List["Container"] = field(default_factory=list)

    def __repr__(self) -> str:
        return "<Engine %s %s pid %d>" % (self.type, self.api, self.pid)


@dataclass(eq=False, repr=False)
class Group:
    """A group of containers: a compose project, a Kubernetes or podman
    pod, ..."""

    refid: int
    name: str = ""
    type: str = ""
    flavor: str = ""
    labels: Dict[str, str] = field(default_factory=dict)
    containers: List["Container"] = field(default_factory=list)

    def __repr__(self) -> str:
        return "<Group %s %r>" % (self.type, self.name)


@dataclass(eq=False, repr=False)
class Container:
    """A container: id, name, type, flavor, initial PID, paused, labels, its
    engine, groups and initial process."""

    id: str = ""
    name: str = ""
    type: str = ""
    flavor: str = ""
    pid: int = 0
    paused: bool = False
    labels: Dict[str, str] = field(default_factory=dict)
    engine: Optional[Engine] = None
    groups: List[Group] = field(default_factory=list)
    process: Optional[Process] = None

    def __repr__(self) -> str:
        return "<Container %r pid %d>" % (self.name, self.pid)


@dataclass(eq=False, repr=False)
class Mount:
    """One mount of a mount table (a mountinfo line): IDs, device, root,
    mount point, options, propagation tags, fs type, source, super options,
    whether it is hidden (overmounted), and its parent and children in the
    mount tree."""

    mountid: int
    parentid: int
    major: int
    minor: int
    root: str
    mountpoint: str
    options: List[str]
    tags: Dict[str, str]
    fstype: str
    source: str
    superoptions: str
    hidden: bool
    parent: Optional["Mount"] = None
    children: List["Mount"] = field(default_factory=list)

    def __repr__(self) -> str:
        return "<Mount %d %s %s>" % (self.mountid, self.mountpoint, self.fstype)


@dataclass(eq=False, repr=False)
class MountPath:
    """A path with mounts on it (bottom first), in the tree of mount paths
    of one mount namespace (parent: the nearest ancestor path with mounts)."""

    path: str
    pathid: int
    mounts: List[Mount] = field(default_factory=list)
    parent: Optional["MountPath"] = None
    children: List["MountPath"] = field(default_factory=list)

    @property
    def visible_mount(self) -> Optional[Mount]:
        """The mount at this path that is not hidden, if any."""
        for m in reversed(self.mounts):
            if not m.hidden:
                return m
        return None

    def __repr__(self) -> str:
        return "<MountPath %s (%d mounts)>" % (self.path, len(self.mounts))


@dataclass(frozen=True)
class Diagnostic:
    """Something the discovery could not see: the process concerned (0 for
    none), the errno (0 for a note), what was being read, and a message."""

    pid: int
    errno: int
    what: str
    message: str

    def __str__(self) -> str:
        return self.message
