# SPDX-License-Identifier: Apache-2.0
"""The drop-in linuxns_rel, tested the way linuxns_rel's own suite tests it
(unittest classes, /proc/self/ns paths, an unshare'd sandbox with a user
and a network namespace), plus every reference kind, every exception, and
hierarchies with exact inodes against tests/live's nsrel."""

import errno
import io
import os
import subprocess
import unittest

import pytest

import linuxns_rel as nsr
from conftest import live, nsino, nsrel, wait_for, wait_sleep

NAMESPACES = (
    ("cgroup", nsr.CLONE_NEWCGROUP),
    ("ipc", nsr.CLONE_NEWIPC),
    ("mnt", nsr.CLONE_NEWNS),
    ("net", nsr.CLONE_NEWNET),
    ("pid", nsr.CLONE_NEWPID),
    ("user", nsr.CLONE_NEWUSER),
    ("uts", nsr.CLONE_NEWUTS),
)


class ConstantsTests(unittest.TestCase):
    def test_clone_constants(self):
        self.assertEqual(nsr.CLONE_NEWNS, 0x00020000)
        self.assertEqual(nsr.CLONE_NEWCGROUP, 0x02000000)
        self.assertEqual(nsr.CLONE_NEWUTS, 0x04000000)
        self.assertEqual(nsr.CLONE_NEWIPC, 0x08000000)
        self.assertEqual(nsr.CLONE_NEWUSER, 0x10000000)
        self.assertEqual(nsr.CLONE_NEWPID, 0x20000000)
        self.assertEqual(nsr.CLONE_NEWNET, 0x40000000)

    def test_ioctl_constants(self):
        self.assertEqual(nsr.NSIO, 0xB7)
        self.assertEqual(nsr.NS_GET_USERNS, 0xB701)
        self.assertEqual(nsr.NS_GET_PARENT, 0xB702)
        self.assertEqual(nsr.NS_GET_NSTYPE, 0xB703)
        self.assertEqual(nsr.NS_GET_OWNER_UID, 0xB704)

    def test_nstype_str(self):
        for name, t in NAMESPACES:
            self.assertEqual(nsr.nstype_str(t), name)
        self.assertEqual(dict(nsr.NAMESPACE_TYPE_NAMES), {t: n for n, t in NAMESPACES})

    def test_nstype_str_invalid(self):
        for bad in (0, 42, nsr.CLONE_NEWNET | nsr.CLONE_NEWPID, -1):
            with self.assertRaises(ValueError) as cm:
                nsr.nstype_str(bad)
            self.assertIn("invalid namespace type value", str(cm.exception))

    def test_version(self):
        self.assertEqual(nsr.__version__, "1.0.6")


class NsrTests(unittest.TestCase):
    def test_get_nstype(self):
        for name, t in NAMESPACES:
            self.assertEqual(nsr.get_nstype("/proc/self/ns/%s" % name), t, name)

    def test_get_nstype_file_and_fd(self):
        for name, t in NAMESPACES:
            with open("/proc/self/ns/%s" % name) as f:
                self.assertEqual(nsr.get_nstype(f), t)
                self.assertEqual(nsr.get_nstype(f.fileno()), t)
            fd = os.open("/proc/self/ns/%s" % name, os.O_RDONLY | os.O_PATH)
            try:
                self.assertEqual(nsr.get_nstype(fd), t, "O_PATH fd")
            finally:
                os.close(fd)

    def test_wrong_reference_type(self):
        for bad in (1.5, None, b"/proc/self/ns/net", ["/proc/self/ns/net"], object()):
            for fn in (nsr.get_nstype, nsr.get_userns, nsr.get_parentns, nsr.get_owner_uid):
                with self.assertRaises(TypeError):
                    fn(bad)

    def test_not_a_namespace(self):
        with self.assertRaises(OSError) as cm:
            nsr.get_nstype("/etc/hostname")
        self.assertEqual(cm.exception.errno, errno.ENOTTY)
        with open("/etc/hostname") as f, self.assertRaises(OSError) as cm:
            nsr.get_userns(f)
        self.assertEqual(cm.exception.errno, errno.ENOTTY)

    def test_missing_path(self):
        with self.assertRaises(FileNotFoundError) as cm:
            nsr.get_nstype("/nonexistent/ns/net")
        self.assertEqual(cm.exception.filename, "/nonexistent/ns/net")

    def test_bad_fds(self):
        with self.assertRaises(ValueError):
            nsr.get_nstype(-1)
        r, w = os.pipe()
        os.close(r)
        os.close(w)
        with self.assertRaises(OSError) as cm:
            nsr.get_nstype(r)
        self.assertEqual(cm.exception.errno, errno.EBADF)
        f = open("/proc/self/ns/net")
        f.close()
        with self.assertRaises(ValueError):
            nsr.get_nstype(f)

    def test_get_userns(self):
        own = nsino("self", "user")
        for name, _ in NAMESPACES:
            if name == "user":
                continue
            with nsr.get_userns("/proc/self/ns/%s" % name) as f:
                self.assertIsInstance(f, io.TextIOBase)
                self.assertEqual(os.stat(f.fileno()).st_ino, own, name)
                self.assertEqual(nsr.get_nstype(f), nsr.CLONE_NEWUSER)
            self.assertTrue(f.closed)

    def test_context_manager_closes_fd(self):
        with nsr.get_userns("/proc/self/ns/net") as f:
            fd = f.fileno()
            os.fstat(fd)
        with self.assertRaises(OSError):
            os.fstat(fd)

    def test_parent_of_flat_namespace(self):
        for name in ("cgroup", "ipc", "mnt", "net", "uts"):
            with self.assertRaises(OSError) as cm:
                nsr.get_parentns("/proc/self/ns/%s" % name)
            self.assertEqual(cm.exception.errno, errno.EINVAL, name)
            self.assertNotIsInstance(cm.exception, PermissionError)

    def test_owner_uid_of_non_user(self):
        with self.assertRaises(OSError) as cm:
            nsr.get_owner_uid("/proc/self/ns/net")
        self.assertEqual(cm.exception.errno, errno.EINVAL)

    def test_get_nsrel(self):
        with nsr.get_nsrel("/proc/self/ns/net", nsr.NS_GET_USERNS) as f:
            self.assertEqual(os.stat(f.fileno()).st_ino, nsino("self", "user"))
        with self.assertRaises(ValueError):
            nsr.get_nsrel("/proc/self/ns/net", nsr.NS_GET_NSTYPE)


@live
class RootTests(unittest.TestCase):
    """As root in the initial namespaces, as linuxns_rel's doctests assume."""

    def test_top_of_hierarchy(self):
        with self.assertRaises(PermissionError):
            nsr.get_parentns("/proc/self/ns/user")
        with self.assertRaises(PermissionError):
            with nsr.get_userns("/proc/self/ns/user"):
                pass

    def test_owner_uid_root(self):
        self.assertEqual(nsr.get_owner_uid("/proc/self/ns/user"), 0)
        with nsr.get_userns("/proc/self/ns/pid") as f:
            self.assertEqual(nsr.get_owner_uid(f), 0)


@live
class NsrTestsWithSandbox(unittest.TestCase):
    """A sleeping cat in its own user and network namespace (linuxns_rel's
    sandbox), started once for the class and killed at the end."""

    sandbox = None

    @classmethod
    def setUpClass(cls):
        cls.sandbox = subprocess.Popen(["unshare", "--user", "--map-root-user", "--net", "/bin/cat"],
                                       stdin=subprocess.PIPE, close_fds=True)
        own = nsino("self", "user")
        wait_for(lambda: cls.sandbox.poll() is not None or nsino(cls.sandbox.pid, "user") != own,
                 "the sandbox's user namespace")
        if cls.sandbox.poll() is not None:
            raise unittest.SkipTest("unshare --user failed")

    @classmethod
    def tearDownClass(cls):
        if cls.sandbox:
            cls.sandbox.kill()
            cls.sandbox.wait()

    def path(self, t):
        return "/proc/%d/ns/%s" % (self.sandbox.pid, t)

    def test_get_user_sandbox(self):
        with nsr.get_userns(self.path("net")) as f:
            self.assertEqual(os.stat(f.fileno()).st_ino, nsino(self.sandbox.pid, "user"))

    def test_get_parent_user(self):
        with nsr.get_userns(self.path("net")) as owner:
            with nsr.get_parentns(owner) as parent:
                self.assertEqual(os.stat(parent.fileno()).st_ino, nsino("self", "user"))

    def test_get_user_of_user(self):
        with nsr.get_userns(self.path("user")) as f:
            self.assertEqual(os.stat(f.fileno()).st_ino, nsino("self", "user"))

    def test_owner_uid_of_sandbox(self):
        self.assertEqual(nsr.get_owner_uid(self.path("user")), 0)

    def test_sandbox_types(self):
        self.assertEqual(nsr.get_nstype(self.path("net")), nsr.CLONE_NEWNET)
        self.assertEqual(nsr.nstype_str(nsr.get_nstype(self.path("user"))), "user")


@live
def test_user_chain_with_hidden_levels(procs):
    """unshare -Ur x3: only the innermost user namespace has a process; the
    two above are reachable only through get_parentns."""
    p = procs.start(["unshare", "-Ur", "unshare", "-Ur", "unshare", "-Ur", "sleep", "infinity"])
    wait_sleep(p.pid)
    truth = nsrel("-c", "/proc/%d/ns/user" % p.pid)
    assert len(truth) == 3 and truth[-1] == nsino("self", "user")
    got = []
    f = open("/proc/%d/ns/user" % p.pid)
    while True:
        try:
            nxt = nsr.get_parentns(f)
        except PermissionError:
            break
        finally:
            f.close()
        got.append(os.stat(nxt.fileno()).st_ino)
        f = nxt
    assert got == truth
    # the creator was root (0) at every level, seen from here
    with nsr.get_parentns("/proc/%d/ns/user" % p.pid) as lvl2:
        assert nsr.get_owner_uid(lvl2) == 0


@live
def test_unprivileged_owner_uid(procs):
    """A user namespace created by uid 65534: its owner UID is 65534."""
    p = procs.start(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                     "unshare", "-U", "sleep", "infinity"])
    wait_for(lambda: p.poll() is not None or nsino(p.pid, "user") != nsino("self", "user"), "userns")
    if p.poll() is not None:
        pytest.skip("unprivileged user namespaces are disabled")
    wait_sleep(p.pid)
    assert nsr.get_owner_uid("/proc/%d/ns/user" % p.pid) == 65534
    with nsr.get_userns("/proc/%d/ns/user" % p.pid) as parent:
        assert os.stat(parent.fileno()).st_ino == nsino("self", "user")


@live
def test_pid_chain(procs):
    """Nested PID namespaces: get_parentns climbs them to ours."""
    p = procs.start(["unshare", "--pid", "--fork", "--kill-child", "unshare", "--pid", "--fork",
                     "--kill-child", "sleep", "infinity"])
    from conftest import children_of
    mid = wait_for(lambda: children_of(p.pid), "first fork")[0]
    procs.track(mid)
    leaf = wait_for(lambda: children_of(mid), "second fork")[0]
    procs.track(leaf)
    wait_sleep(leaf)
    truth = nsrel("-c", "/proc/%d/ns/pid" % leaf)
    assert truth == [nsino(mid, "pid"), nsino("self", "pid")]
    with nsr.get_parentns("/proc/%d/ns/pid" % leaf) as p1:
        assert os.stat(p1.fileno()).st_ino == nsino(mid, "pid")
        with nsr.get_parentns(p1) as p2:
            assert os.stat(p2.fileno()).st_ino == nsino("self", "pid")
            with pytest.raises(PermissionError):
                nsr.get_parentns(p2)
        with nsr.get_userns(p1) as owner:
            assert os.stat(owner.fileno()).st_ino == nsino("self", "user")


@live
def test_bind_mounted_netns(tmp_path, procs):
    """A process-less network namespace held by a bind mount: its path is a
    reference like any other."""
    target = tmp_path / "netns"
    target.write_text("")
    subprocess.run(["unshare", "--net=%s" % target, "true"], check=True)
    try:
        ino = os.stat(target).st_ino
        assert ino != nsino("self", "net")
        assert nsr.get_nstype(str(target)) == nsr.CLONE_NEWNET
        with nsr.get_userns(str(target)) as owner:
            assert os.stat(owner.fileno()).st_ino == nsino("self", "user")
    finally:
        subprocess.run(["umount", str(target)], check=True)


@live
def test_doctests():
    """The module's documented examples hold (as root in the initial
    namespaces, like linuxns_rel's own doctest run)."""
    import doctest
    failed, attempted = doctest.testmod(nsr, verbose=False)
    assert attempted >= 8 and failed == 0
