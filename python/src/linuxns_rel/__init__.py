# SPDX-License-Identifier: Apache-2.0
"""A drop-in for linuxns_rel 1.0.6, backed by liblxkns.

The relations of a Linux-kernel namespace: its type, its owning user
namespace, its parent (user and PID namespaces), and the owner UID of a user
namespace. A namespace reference is a path string (``/proc/self/ns/net``), a
file object (anything with ``fileno()``), or an fd (``int``). The work is
done by liblxkns' nsfs relations API (``include/lxkns/nsfs.h``).

>>> import linuxns_rel
>>> linuxns_rel.nstype_str(linuxns_rel.get_nstype('/proc/self/ns/net'))
'net'
>>> with linuxns_rel.get_userns('/proc/self/ns/net') as owner:
...     linuxns_rel.get_owner_uid(owner)
0

Errors: TypeError for a reference that is neither str, file object nor int;
ValueError for an unknown namespace type value (and a negative fd); the
kernel's answers as OSError subclasses: PermissionError when the parent or
owner is out of reach (or at the top), OSError EINVAL for the parent of a
flat namespace or the owner UID of a non-user namespace, OSError ENOTTY for
a file that is not a namespace, FileNotFoundError for a missing path.
"""

from __future__ import annotations

import os
from typing import IO, Any, Callable, Union

from lxkns import _lib

__version__ = "1.0.6"

#: mount namespace type constant.
CLONE_NEWNS = 0x00020000
#: cgroup namespace type constant.
CLONE_NEWCGROUP = 0x02000000
#: UTS namespace type constant.
CLONE_NEWUTS = 0x04000000
#: IPC namespace type constant.
CLONE_NEWIPC = 0x08000000
#: user namespace type constant.
CLONE_NEWUSER = 0x10000000
#: PID namespace type constant.
CLONE_NEWPID = 0x20000000
#: network namespace type constant.
CLONE_NEWNET = 0x40000000

_IOC_NRBITS, _IOC_TYPEBITS, _IOC_SIZEBITS, _IOC_DIRBITS = 8, 8, 14, 2
_IOC_NRSHIFT = 0
_IOC_TYPESHIFT = _IOC_NRSHIFT + _IOC_NRBITS
_IOC_SIZESHIFT = _IOC_TYPESHIFT + _IOC_TYPEBITS
_IOC_DIRSHIFT = _IOC_SIZESHIFT + _IOC_SIZEBITS
_IOC_NONE, _IOC_WRITE, _IOC_READ = 0, 1, 2


def _IOC(dir: int, type: int, nr: int, size: int) -> int:  # noqa: N802
    """An ioctl request number (asm-generic layout)."""
    return (dir << _IOC_DIRSHIFT) | (type << _IOC_TYPESHIFT) | (nr << _IOC_NRSHIFT) | (size << _IOC_SIZESHIFT)


def _IO(type: int, nr: int) -> int:  # noqa: N802
    """An ioctl request number without a parameter."""
    return _IOC(_IOC_NONE, type, nr, 0)


#: the nsfs ioctl group (linux/nsfs.h).
NSIO = 0xB7
#: request: the owning user namespace.
NS_GET_USERNS = _IO(NSIO, 0x1)
#: request: the parent namespace.
NS_GET_PARENT = _IO(NSIO, 0x2)
#: request: the CLONE_NEW* type.
NS_GET_NSTYPE = _IO(NSIO, 0x3)
#: request: the owner UID of a user namespace.
NS_GET_OWNER_UID = _IO(NSIO, 0x4)

#: CLONE_NEW* value -> type name, as lsns(8) names them.
NAMESPACE_TYPE_NAMES = {
    CLONE_NEWNS: "mnt",
    CLONE_NEWCGROUP: "cgroup",
    CLONE_NEWUTS: "uts",
    CLONE_NEWIPC: "ipc",
    CLONE_NEWUSER: "user",
    CLONE_NEWPID: "pid",
    CLONE_NEWNET: "net",
}

NamespaceRef = Union[str, IO[Any], int]

# errnos that are the kernel's (or the library's fstatfs check's) answer
# about the namespace itself, not about opening the path: they carry no
# filename, as the ioctl errors of linuxns_rel do not.
_RELATION_ERRNOS = (_lib.ENOTTY, _lib.EPERM, _lib.EINVAL)


def nstype_str(nstype: int) -> str:
    """The type name ('net', 'user', ...) of a CLONE_NEW* value; ValueError
    for any other value.

    >>> nstype_str(CLONE_NEWPID)
    'pid'
    """
    try:
        return NAMESPACE_TYPE_NAMES[nstype]
    except (KeyError, TypeError):
        pass
    raise ValueError("invalid namespace type value {i}/{h}".format(
        i=nstype, h=hex(nstype) if isinstance(nstype, int) else nstype))


def _fd_of(value: Any) -> int:
    fd = value.fileno() if not isinstance(value, int) else value
    if not isinstance(fd, int):
        raise TypeError("fileno() returned a non-integer")
    if fd < 0:
        raise ValueError("file descriptor cannot be a negative integer (%d)" % fd)
    if fd > 0x7FFFFFFF:
        raise OverflowError("file descriptor %d is greater than maximum" % fd)
    return fd


def _call(nsref: NamespaceRef, on_fd: Callable[..., int], on_path: Callable[..., int], *extra: Any) -> int:
    """Runs the fd or the path variant of a liblxkns nsfs function for a
    reference, raising TypeError for a reference of the wrong type and
    OSError for a negative answer."""
    if isinstance(nsref, str):
        if "\0" in nsref:
            raise ValueError("embedded null byte")
        rc = on_path(_lib.AT_FDCWD, os.fsencode(nsref), 0, *extra)
        if rc < 0 and -rc not in _RELATION_ERRNOS:
            _lib.check(rc, filename=nsref)
        return _lib.check(rc)
    if hasattr(nsref, "fileno") or isinstance(nsref, int):
        return _lib.check(on_fd(_fd_of(nsref), *extra))
    raise TypeError("namespace reference must be str, int or TextIO, not {t}".format(t=type(nsref)))


def get_nstype(nsref: NamespaceRef) -> int:
    """The CLONE_NEW* type of the referenced namespace.

    >>> get_nstype('/proc/self/ns/net') == CLONE_NEWNET
    True
    """
    lib = _lib.lib()
    t = _call(nsref, lib.lxkns_nsfs_type, lib.lxkns_nsfs_type_at)
    return int(lib.lxkns_ns_type_clone_flag(t))


def get_nsrel(nsref: NamespaceRef, request: int) -> IO[Any]:
    """A new file object of the namespace related to nsref by request:
    NS_GET_USERNS (the owning user namespace) or NS_GET_PARENT (the parent);
    ValueError for any other request."""
    lib = _lib.lib()
    if request == NS_GET_USERNS:
        fd = _call(nsref, lib.lxkns_nsfs_userns, lib.lxkns_nsfs_userns_at)
    elif request == NS_GET_PARENT:
        fd = _call(nsref, lib.lxkns_nsfs_parent, lib.lxkns_nsfs_parent_at)
    else:
        if not isinstance(nsref, (str, int)) and not hasattr(nsref, "fileno"):
            raise TypeError("namespace reference must be str, int or TextIO, not {t}".format(t=type(nsref)))
        raise ValueError("unsupported namespace relation request {r}".format(r=hex(request)))
    return os.fdopen(fd, "r")


def get_userns(nsref: NamespaceRef) -> IO[Any]:
    """The user namespace owning the referenced namespace, as a new file
    object (a context manager). For a user namespace this is its parent.
    PermissionError when the owner is outside the caller's user namespace.

    >>> with get_userns('/proc/self/ns/pid') as owner:
    ...     get_owner_uid(owner)
    0
    """
    return get_nsrel(nsref, NS_GET_USERNS)


def get_parentns(nsref: NamespaceRef) -> IO[Any]:
    """The parent of a user or PID namespace, as a new file object (a
    context manager). PermissionError at the top of the hierarchy or when
    the parent is out of reach; OSError EINVAL for the other (flat) types.

    >>> get_parentns('/proc/self/ns/uts')
    Traceback (most recent call last):
      ...
    OSError: [Errno 22] Invalid argument
    """
    return get_nsrel(nsref, NS_GET_PARENT)


def get_owner_uid(usernsref: NamespaceRef) -> int:
    """The UID of the creator of a user namespace, as the caller's user
    namespace sees it. OSError EINVAL for a namespace that is not a user
    namespace.

    >>> get_owner_uid('/proc/self/ns/user')
    0
    """
    lib = _lib.lib()
    uid = _lib.c_uint32(2**32 - 42)
    ref = _lib.ctypes.byref(uid)
    _call(usernsref, lib.lxkns_nsfs_owner_uid, lib.lxkns_nsfs_owner_uid_at, ref)
    return int(uid.value)


__all__ = [
    "CLONE_NEWNS", "CLONE_NEWCGROUP", "CLONE_NEWUTS", "CLONE_NEWIPC", "CLONE_NEWUSER",
    "CLONE_NEWPID", "CLONE_NEWNET", "NSIO", "NS_GET_USERNS", "NS_GET_PARENT", "NS_GET_NSTYPE",
    "NS_GET_OWNER_UID", "NAMESPACE_TYPE_NAMES", "nstype_str", "get_nstype", "get_nsrel",
    "get_userns", "get_parentns", "get_owner_uid",
]
