# SPDX-License-Identifier: Apache-2.0
"""ctypes bindings of liblxkns (the exported C API, include/lxkns/*.h).

The library is looked up once, on first use: the path in the environment
variable ``LXKNS_LIBRARY``, else the installed ``liblxkns.so.0``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno as _errno
import os
import threading
from typing import Optional

from ._errors import LibraryNotFoundError

c_bool, c_int, c_uint, c_size_t = ctypes.c_bool, ctypes.c_int, ctypes.c_uint, ctypes.c_size_t
c_char_p, c_void_p, c_uint64, c_uint32 = ctypes.c_char_p, ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint32

AT_FDCWD = -100


class DiscoverOpts(ctypes.Structure):
    """struct lxkns_discover_opts (include/lxkns/discover.h). It grows at its
    end only; its leading size tells the library which fields we know."""

    _fields_ = [
        ("size", c_size_t),
        ("type_mask", c_uint),
        ("from_procs", c_bool),
        ("from_tasks", c_bool),
        ("from_fds", c_bool),
        ("from_sockets", c_bool),
        ("from_bindmounts", c_bool),
        ("with_hierarchy", c_bool),
        ("with_ownership", c_bool),
        ("with_user_names", c_bool),
        ("with_nspids", c_bool),
        ("with_mounts", c_bool),
        ("with_freezer", c_bool),
        ("with_affinity", c_bool),
        ("with_task_affinity", c_bool),
        ("procfs_root", c_char_p),
        ("threads", c_uint),
        ("with_containers", c_bool),
        ("container_timeout_ms", c_uint),
        ("container_watcher", c_void_p),
    ]


class JsonStyle(ctypes.Structure):
    """struct lxkns_json_style (include/lxkns/json.h)."""

    _fields_ = [("size", c_size_t), ("indent", c_uint), ("tab", c_bool), ("compact", c_bool)]


class DiscoverOption(ctypes.Structure):
    """struct lxkns_discover_option (include/lxkns/options.h)."""

    _fields_ = [
        ("query", c_char_p),
        ("flag", c_char_p),
        ("help", c_char_p),
        ("json_key", c_char_p),
        ("on_by_default", c_bool),
        ("flag_also", c_char_p),
    ]


class Diagnostic(ctypes.Structure):
    """struct lxkns_diagnostic (include/lxkns/model.h)."""

    _fields_ = [("pid", c_int), ("err", c_int), ("what", c_char_p), ("message", c_char_p)]


SINK = ctypes.CFUNCTYPE(c_int, c_void_p, ctypes.POINTER(ctypes.c_char), c_size_t)

P = c_void_p  # every opaque pointer

_PROTOTYPES = {
    "lxkns_version": (c_char_p, []),
    "lxkns_discover_opts_init_sized": (c_int, [ctypes.POINTER(DiscoverOpts), c_size_t]),
    "lxkns_discover": (c_int, [ctypes.POINTER(DiscoverOpts), ctypes.POINTER(P)]),
    "lxkns_discover_option_at": (ctypes.POINTER(DiscoverOption), [c_size_t]),
    "lxkns_discover_option_by_query": (ctypes.POINTER(DiscoverOption), [c_char_p]),
    "lxkns_discover_option_set": (c_int, [ctypes.POINTER(DiscoverOption), ctypes.POINTER(DiscoverOpts), c_bool]),
    "lxkns_result_unref": (P, [P]),
    "lxkns_result_write_json": (c_int, [P, ctypes.POINTER(JsonStyle), SINK, P]),
    "lxkns_result_write_pidmap_json": (c_int, [P, ctypes.POINTER(JsonStyle), SINK, P]),
    "lxkns_result_read_json": (c_int, [c_char_p, c_size_t, ctypes.POINTER(P), c_char_p, c_size_t]),
    "lxkns_result_diagnostic_count": (c_size_t, [P]),
    "lxkns_result_diagnostic_at": (ctypes.POINTER(Diagnostic), [P, c_size_t]),
    "lxkns_result_namespace_by_ino": (P, [P, c_int, c_uint64]),
    "lxkns_result_initial_namespace": (P, [P, c_int]),
    "lxkns_result_root_count": (c_size_t, [P, c_int]),
    "lxkns_result_root_at": (P, [P, c_int, c_size_t]),
    "lxkns_result_process_by_pid": (P, [P, c_int]),
    "lxkns_result_translate_pid": (c_int, [P, c_int, P, P]),
    "lxkns_result_process_by_nspid": (P, [P, c_int, P]),
    "lxkns_process_pid": (c_int, [P]),
    "lxkns_process_namespaced_pid_count": (c_size_t, [P]),
    "lxkns_process_namespaced_pid_at": (c_int, [P, c_size_t, ctypes.POINTER(P)]),
    "lxkns_namespace_id": (None, []),  # replaced below (struct return)
    "lxkns_ns_type_clone_flag": (ctypes.c_ulong, [c_int]),
    "lxkns_ns_type_name": (c_char_p, [c_int]),
    "lxkns_nsfs_type": (c_int, [c_int]),
    "lxkns_nsfs_type_at": (c_int, [c_int, c_char_p, c_int]),
    "lxkns_nsfs_userns": (c_int, [c_int]),
    "lxkns_nsfs_userns_at": (c_int, [c_int, c_char_p, c_int]),
    "lxkns_nsfs_parent": (c_int, [c_int]),
    "lxkns_nsfs_parent_at": (c_int, [c_int, c_char_p, c_int]),
    "lxkns_nsfs_owner_uid": (c_int, [c_int, ctypes.POINTER(c_uint32)]),
    "lxkns_nsfs_owner_uid_at": (c_int, [c_int, c_char_p, c_int, ctypes.POINTER(c_uint32)]),
}


class NsId(ctypes.Structure):
    """struct lxkns_nsid (include/lxkns/species.h)."""

    _fields_ = [("dev", c_uint64), ("ino", c_uint64)]


_lock = threading.Lock()
_lib: Optional[ctypes.CDLL] = None


def _open() -> ctypes.CDLL:
    path = os.environ.get("LXKNS_LIBRARY")
    tried = []
    candidates = [path] if path else ["liblxkns.so.0", ctypes.util.find_library("lxkns")]
    for cand in candidates:
        if not cand:
            continue
        try:
            return ctypes.CDLL(cand, use_errno=True)
        except OSError as e:
            tried.append("%s (%s)" % (cand, e))
    if path:
        raise LibraryNotFoundError("cannot load LXKNS_LIBRARY=%s: %s" % (path, "; ".join(tried)))
    raise LibraryNotFoundError(
        "cannot find liblxkns.so.0 (install liblxkns, or set LXKNS_LIBRARY to its path): "
        + "; ".join(tried)
    )


def lib() -> ctypes.CDLL:
    """The loaded library with its prototypes set; raises
    LibraryNotFoundError when there is none."""
    global _lib
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is None:
            so = _open()
            for name, (restype, argtypes) in _PROTOTYPES.items():
                try:
                    fn = getattr(so, name)
                except AttributeError as e:
                    raise LibraryNotFoundError(
                        "%s lacks %s: too old a liblxkns" % (so._name, name)
                    ) from e
                fn.restype = restype
                fn.argtypes = argtypes
            so.lxkns_namespace_id.restype = NsId
            so.lxkns_namespace_id.argtypes = [P]
            _lib = so
    return _lib


def check(rc: int, what: str = "", filename: Optional[str] = None) -> int:
    """Returns rc when it is >= 0, else raises the OSError (subclass) of
    -rc, with what as its text's prefix."""
    if rc >= 0:
        return rc
    e = -rc
    msg = os.strerror(e)
    if what:
        msg = "%s: %s" % (what, msg)
    if filename is not None:
        raise OSError(e, msg, filename)
    raise OSError(e, msg)


ENOTTY, EPERM, EINVAL = _errno.ENOTTY, _errno.EPERM, _errno.EINVAL
